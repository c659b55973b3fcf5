pragma solidity ^0.4.24;

contract Upgradeable {
    address public implementation;
    address public owner;

    function upgrade(address _impl) public { // want "upgrade lets anyone replace the implementation"
        implementation = _impl;
    }

    function upgradeSafe(address _impl) public {
        require(msg.sender == owner);
        implementation = _impl;
    }

    function () public {
        require(implementation.delegatecall(msg.data));
    }
}
