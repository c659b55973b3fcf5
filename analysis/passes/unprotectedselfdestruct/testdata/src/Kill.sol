pragma solidity ^0.4.21;

contract SimpleSuicide {
    address owner;

    function sudicideAnyone() public {
        selfdestruct(msg.sender); // want "sudicideAnyone can be called by anyone and reaches selfdestruct"
    }

    function oldKill() {
        suicide(owner); // want "reaches suicide"
    }

    function close() public {
        require(msg.sender == owner);
        selfdestruct(owner);
    }

    function closeIf() public {
        if (msg.sender == owner) suicide(owner);
    }
}
