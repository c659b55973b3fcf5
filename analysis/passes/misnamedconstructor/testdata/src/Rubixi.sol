pragma solidity ^0.4.15;

contract Rubixi {
    address private creator;
    uint private balance = 0;

    function DynamicPyramid() { // want "DynamicPyramid looks like the constructor of a renamed contract"
        creator = msg.sender;
    }

    function collectAllFees() {
        require(msg.sender == creator);
        creator.transfer(balance);
    }
}

contract Missing {
    address private owner;

    function missing() public { // want "missing differs from contract name Missing only in case"
        owner = msg.sender;
    }
}

contract Ownerd {
    address owner;

    function Owned() public { // want "misspelled constructor"
        owner = msg.sender;
    }
}

contract Fine {
    address owner;

    function Fine() public {
        owner = msg.sender;
    }

    function Transfer(address to) public {
        require(msg.sender == owner);
        owner = to;
    }
}
