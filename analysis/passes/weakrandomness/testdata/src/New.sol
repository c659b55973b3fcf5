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
