pragma solidity ^0.4.24;

contract Proxy {
    address owner;
    mapping(address => bool) trusted;

    function forward(address target, bytes data) public {
        require(target.call(data)); // want "forward calls the caller-chosen target target"
    }

    function forwardValue(address _to, bytes _data) public payable {
        _to.call.value(msg.value)(_data); // want "forwardValue calls the caller-chosen target"
    }

    // Safe: owner only.
    function ownerCall(address target, bytes data) public {
        require(msg.sender == owner);
        require(target.call(data));
    }

    // Safe: allowlisted target.
    function trustedCall(address target, bytes data) public {
        require(trusted[target]);
        require(target.call(data));
    }
}
