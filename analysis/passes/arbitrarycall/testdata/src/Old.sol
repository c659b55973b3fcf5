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

contract AirDrop {
    // Safe: the function is fixed (transferFrom of the caller's own tokens).
    function drop(address token, address[] tos, uint256[] vs) public {
        bytes4 id = bytes4(keccak256("transferFrom(address,address,uint256)"));
        for (uint256 i = 0; i < tos.length; i++) {
            token.call(id, msg.sender, tos[i], vs[i]);
        }
    }

    function relay(address token, bytes4 sel, address to) public {
        token.call(sel, to); // want "relay calls the caller-chosen target"
    }
}
