pragma solidity ^0.4.24;

contract EtherStore {
    mapping(address => uint) public balances;
    uint public total;

    function deposit() public payable {
        balances[msg.sender] += msg.value;
    }

    function withdrawFunds(uint _weiToWithdraw) public {
        require(balances[msg.sender] >= _weiToWithdraw);
        require(msg.sender.call.value(_weiToWithdraw)()); // want "reentrancy: Ether sent before balances"
        balances[msg.sender] -= _weiToWithdraw;
    }

    function collect(uint _am) public {
        if (balances[msg.sender] >= _am) {
            if (msg.sender.call.value(_am)()) { // want "reentrancy"
                balances[msg.sender] -= _am;
            }
        }
    }

    // Negative: transfer forwards 2300 gas only.
    function withdrawTransfer() public {
        uint amount = balances[msg.sender];
        msg.sender.transfer(amount);
        balances[msg.sender] = 0;
    }

    // Negative: checks-effects-interactions.
    function withdrawSafe() public {
        uint amount = balances[msg.sender];
        balances[msg.sender] = 0;
        require(msg.sender.call.value(amount)());
    }
}
