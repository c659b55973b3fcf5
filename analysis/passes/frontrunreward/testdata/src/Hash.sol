pragma solidity ^0.4.22;

contract FindThisHash {
    bytes32 constant public hash = 0xb5b5b97fafd9855eec9b41f74dfb6c38f5951141f9a3ecd7f44d5479b630ee0a;

    constructor() public payable {}

    function solve(string solution) public {
        require(hash == sha3(solution)); // want "solve pays whoever submits the preimage"
        msg.sender.transfer(1000 ether);
    }

    // Commit includes the sender: not copyable.
    function solveBound(string solution) public {
        require(hash == keccak256(solution, msg.sender));
        msg.sender.transfer(1 ether);
    }

    // No payout.
    function check(string solution) public view returns (bool) {
        return hash == sha3(solution);
    }
}
