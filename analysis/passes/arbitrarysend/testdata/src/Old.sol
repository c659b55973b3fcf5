pragma solidity ^0.4.24;

contract Wallet {
    address owner;
    mapping(address => uint256) balances;

    function deposit() public payable {
        balances[msg.sender] += msg.value;
    }

    function payOut(address to, uint256 amount) public {
        to.transfer(amount); // want "payOut sends Ether to the caller-chosen address to"
    }

    function forward(address _dest) public {
        _send(_dest, this.balance);
    }

    function _send(address d, uint256 v) internal {
        d.call.value(v)(); // want "forward sends Ether"
    }

    // Safe: owner only.
    function ownerPay(address to, uint256 amount) public {
        require(msg.sender == owner);
        to.transfer(amount);
    }

    // Safe: backed by the caller's balance.
    function withdrawTo(address to, uint256 amount) public {
        require(balances[msg.sender] >= amount);
        balances[msg.sender] -= amount;
        to.transfer(amount);
    }

    // Safe: forwards msg.value.
    function tip(address to) public payable {
        to.transfer(msg.value);
    }
}
