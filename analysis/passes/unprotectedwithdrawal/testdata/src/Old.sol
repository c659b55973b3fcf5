pragma solidity ^0.4.24;

contract Refund {
    mapping(address => uint256) balances;
    address owner;

    function deposit() public payable {
        balances[msg.sender] += msg.value;
    }

    // Vulnerable: the balance is never deducted.
    function refund() public {
        msg.sender.transfer(balances[msg.sender]); // want "refund sends funds"
    }

    // Vulnerable: anyone can drain the contract.
    function withdrawAll(address _to) public {
        _to.transfer(this.balance); // want "withdrawAll sends funds"
    }

    function sweep() public {
        _pay(msg.sender, this.balance);
    }

    function _pay(address to, uint amount) internal {
        to.send(amount); // want "sweep sends funds"
    }

    // Safe: owner only.
    function ownerWithdraw(uint amount) public {
        require(msg.sender == owner);
        msg.sender.transfer(amount);
    }

    // Safe: books are kept.
    function withdraw(uint amount) public {
        require(balances[msg.sender] >= amount);
        balances[msg.sender] -= amount;
        msg.sender.transfer(amount);
    }
}
