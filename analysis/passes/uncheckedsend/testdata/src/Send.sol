pragma solidity ^0.4.24;

contract King {
    address public king;
    uint public prize;

    function claimThrone() public payable {
        require(msg.value > prize);
        king.send(prize); // want "return value of send is not checked"
        king = msg.sender;
        prize = msg.value;
    }

    function refund(address a, uint v) public {
        bool ok = a.send(v); // want "send"
    }

    // Negative cases.
    function checkedSend(address a, uint v) public {
        require(a.send(v));
        if (!a.send(v)) throw;
        a.transfer(v);
    }
}
