// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

contract Raffle {
    address[] public players;
    mapping(address => uint256) public guessBlock;
    mapping(address => bytes32) public guesses;

    function draw() external {
        uint256 r = uint256(keccak256(abi.encodePacked(block.prevrandao, block.timestamp, players.length))); // want "weak randomness"
        payable(players[r % players.length]).transfer(address(this).balance); // want "weak randomness"
    }

    function settle() external view returns (bool) {
        return blockhash(guessBlock[msg.sender]) == guesses[msg.sender]; // want "weak randomness"
    }

    // Not randomness.
    function tip() external payable {
        payable(block.coinbase).transfer(msg.value);
    }

    function id(address a) external view returns (bytes32) {
        return keccak256(abi.encode(a, block.chainid));
    }

    function expired(uint256 deadline) external view returns (bool) {
        return block.timestamp > deadline && blockhash(block.number - 300) != 0;
    }

    function ts() external view returns (uint32) {
        return uint32(block.timestamp % 2 ** 32);
    }
}

// Id generation: a hash of block attributes that includes a counter the
// function advances is unique, not random.
contract WeakRandomnessIds {
    struct Storage {
        uint256 nonce;
    }
    Storage internal s_storage;
    uint64 internal s_currentSubNonce;
    mapping(uint256 => address) public owners;
    address[] internal players;

    function registerUpkeep() external returns (uint256 id) {
        id = uint256(keccak256(abi.encodePacked(blockhash(block.number - 1), address(this), s_storage.nonce)));
        owners[id] = msg.sender;
        s_storage.nonce++;
    }

    function createSubscription() external returns (uint256 subId) {
        uint64 currentSubNonce = s_currentSubNonce;
        subId = uint256(keccak256(abi.encodePacked(msg.sender, blockhash(block.number - 1), address(this), currentSubNonce)));
        s_currentSubNonce = currentSubNonce + 1;
        owners[subId] = msg.sender;
    }

    // Positive: the counter is read but never advanced, so the hash is
    // the lottery's only source of entropy.
    function draw() external {
        uint256 r = uint256(keccak256(abi.encodePacked(blockhash(block.number - 1), s_storage.nonce))); // want "weak randomness"
        payable(players[r % players.length]).transfer(address(this).balance); // want "weak randomness"
    }
}

// A block hash that only drives dead reads (gas burning) decides nothing.
contract WeakRandomnessDeadValue {
    mapping(bytes32 => bool) internal dummyMap;
    uint256 public counter;
    address[] internal players;

    function performUpkeep(uint256 burn) external {
        uint256 startGas = gasleft();
        bytes32 dummyIndex = blockhash(block.number - 1);
        bool dummy;
        while (startGas - gasleft() < burn) {
            dummy = dummy && dummyMap[dummyIndex];
            dummyIndex = keccak256(abi.encode(dummyIndex, address(this)));
        }
        counter++;
    }

    // Positive: the block hash picks the winner through a copy.
    function pickWinner() external {
        bytes32 seed = blockhash(block.number - 1); // want "weak randomness"
        uint256 r = uint256(seed);
        payable(players[r % players.length]).transfer(address(this).balance); // want "weak randomness"
    }
}
