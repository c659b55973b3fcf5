pragma solidity ^0.4.24;

contract Lotto {
    bool public payedOut = false;
    address public winner;
    uint public winAmount;

    function sendToWinner() public {
        require(!payedOut);
        winner.call.value(winAmount)(); // want "return value of low-level call is not checked"
        payedOut = true;
    }

    function forward(address target, bytes data) public {
        target.delegatecall(data); // want "low-level delegatecall"
    }

    function unusedFlag(address to) public {
        bool ok = to.call.value(1)(); // want "not checked"
    }

    // Negative cases.
    function checked(address to) public {
        require(to.call.value(1)());
        if (!to.call.value(2)()) {
            revert();
        }
        bool ok = to.call.value(3)();
        if (!ok) throw;
    }
}
