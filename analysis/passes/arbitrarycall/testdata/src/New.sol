// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Router {
    struct Call {
        address target;
        bytes data;
    }

    function multicall(Call[] calldata calls) external {
        for (uint256 i; i < calls.length; ++i) {
            (bool ok, ) = calls[i].target.call(calls[i].data); // want "multicall calls the caller-chosen target"
            require(ok);
        }
    }

    function exec(address target, bytes calldata data) external payable returns (bytes memory) {
        return _exec(target, data);
    }

    function _exec(address t, bytes memory d) internal returns (bytes memory) {
        (bool ok, bytes memory ret) = t.call{value: msg.value}(d); // want "exec calls the caller-chosen target"
        require(ok);
        return ret;
    }

    // Safe: calls itself.
    function selfMulticall(bytes[] calldata data) external {
        for (uint256 i; i < data.length; ++i) {
            (bool ok, ) = address(this).delegatecall(data[i]);
            require(ok);
        }
    }

    // Safe: the data is fixed.
    function ping(address target) external {
        (bool ok, ) = target.call(abi.encodeWithSignature("ping()"));
        require(ok);
    }
}

contract Timelock {
    mapping(bytes32 => bool) public queued;

    // Safe: bound to a queued operation hash.
    function execute(address target, bytes calldata data) external {
        bytes32 id = keccak256(abi.encode(target, data));
        require(queued[id], "not queued");
        queued[id] = false;
        (bool ok, ) = target.call(data);
        require(ok);
    }
}
