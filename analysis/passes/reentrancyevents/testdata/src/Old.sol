pragma solidity ^0.4.24;

contract OldEvents {
    event Sent(address to, uint amount);

    function send(address to, uint amount) public {
        require(to.call.value(amount)());
        Sent(to, amount); // want "event emitted after external call"
    }

    function sendFirst(address to, uint amount) public {
        Sent(to, amount);
        require(to.call.value(amount)());
    }
}
