pragma solidity ^0.4.24;

contract Game {
    uint deposits;

    function play() public payable {
        deposits += msg.value;
        if (this.balance == 7 ether) { // want "strict equality on the contract's balance"
            msg.sender.transfer(this.balance);
        }
    }

    function ok() public view returns (bool) {
        return this.balance >= deposits;
    }
}
