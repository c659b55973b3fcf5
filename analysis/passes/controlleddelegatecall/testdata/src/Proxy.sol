pragma solidity ^0.4.24;

contract Proxy {
    address owner;
    address lib;

    function forward(address callee, bytes _data) public {
        require(callee.delegatecall(_data)); // want "forward lets the caller choose the delegatecall target"
    }

    function forwardOwner(address callee, bytes _data) public {
        require(msg.sender == owner);
        require(callee.delegatecall(_data));
    }

    function() public {
        require(lib.delegatecall(msg.data));
    }
}
