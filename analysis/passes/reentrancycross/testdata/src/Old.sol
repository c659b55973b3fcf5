pragma solidity ^0.4.24;

contract Rewards {
    mapping(address => uint) public userBalances;
    uint public paidOut;
    uint public pot;

    function transfer(address to, uint amount) public {
        if (userBalances[msg.sender] >= amount && paidOut < 100 ether) {
            userBalances[to] += amount;
            userBalances[msg.sender] -= amount;
        }
    }

    function claimBonus(address recipient) public {
        require(msg.sender.call.value(pot)()); // want "cross-function reentrancy: paidOut"
        paidOut = pot;
    }

    // Negative: no call.
    function topUp() public payable {
        pot += msg.value;
    }
}
