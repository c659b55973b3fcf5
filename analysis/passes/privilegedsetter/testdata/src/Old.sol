pragma solidity ^0.4.15;

contract Unprotected {
    address private owner;
    mapping(address => bool) admins;
    uint public fee;

    modifier onlyowner {
        require(msg.sender == owner);
        _;
    }

    function Unprotected() public {
        owner = msg.sender;
    }

    function changeOwner(address _newOwner) public { // want "changeOwner lets anyone set privileged state variable owner"
        owner = _newOwner;
    }

    function changeOwnerSafe(address _newOwner) public onlyowner {
        owner = _newOwner;
    }

    function addAdmin(address a) { // want "addAdmin lets anyone set privileged state variable admins"
        admins[a] = true;
    }

    function setFee(uint f) public { // want "setFee lets anyone"
        fee = f;
    }

    function claimOwnership() public {
        require(owner == 0);
        owner = msg.sender;
    }
}
