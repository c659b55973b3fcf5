// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Executor {
    address public owner;
    address public immutable impl;

    constructor(address i) {
        impl = i;
        owner = msg.sender;
    }

    function exec(address target, bytes calldata data) external returns (bytes memory) {
        return _exec(target, data);
    }

    function _exec(address target, bytes calldata data) internal returns (bytes memory) {
        (bool ok, bytes memory ret) = target.delegatecall(data); // want "exec lets the caller choose"
        require(ok);
        return ret;
    }

    function asmExec(address target) external {
        assembly {
            let ok := delegatecall(gas(), target, 0, 0, 0, 0) // want "asmExec lets the caller choose"
        }
    }

    function multicall(bytes[] calldata data) external {
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, ) = address(this).delegatecall(data[i]);
            require(ok);
        }
    }

    function run(bytes calldata data) external {
        (bool ok, ) = impl.delegatecall(data);
        require(ok);
    }
}
