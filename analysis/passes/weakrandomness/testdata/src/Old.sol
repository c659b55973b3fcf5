pragma solidity ^0.4.21;

contract GuessTheRandomNumber {
    uint8 answer;
    uint256 private salt = block.timestamp; // want "state variable salt is seeded"
    address[] players;

    function GuessTheRandomNumber() public payable {
        answer = uint8(keccak256(block.blockhash(block.number - 1), now)); // want "weak randomness"
    }

    function lottery() public {
        if ((block.number % 2) == 0) { // want "weak randomness"
            msg.sender.transfer(1 ether);
        }
    }

    function pick() public view returns (address) {
        uint idx = uint(sha3(block.coinbase)) % players.length; // want "weak randomness"
        return players[idx];
    }

    function random(uint max) public view returns (uint256) {
        uint256 y = salt * block.number / (salt % 5); // want "weak randomness"
        return y % max; // want "weak randomness"
    }

    // Not randomness: periods and deadlines.
    function period() public view returns (uint) {
        return now % 1 days;
    }
}
