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

// Safe's StorageAccessible: the delegatecall's effects are always reverted;
// only the returned data survives.
contract StorageAccessibleLike {
    function simulateAndRevert(address targetContract, bytes memory calldataPayload) external {
        assembly {
            let success := delegatecall(gas(), targetContract, add(calldataPayload, 0x20), mload(calldataPayload), 0, 0)
            mstore(0x00, success)
            mstore(0x20, returndatasize())
            returndatacopy(0x40, 0, returndatasize())
            revert(0, add(returndatasize(), 0x40))
        }
    }

    function simulate(address targetContract, bytes memory calldataPayload) external returns (bytes memory) {
        (bool ok, bytes memory ret) = targetContract.delegatecall(calldataPayload);
        if (ok) {
            revert(string(ret));
        }
        revert("failed");
    }

    // Positive: returns on success, so the delegatecall's effects persist.
    function simulateOrKeep(address targetContract, bytes memory calldataPayload) external returns (bytes memory) {
        (bool ok, bytes memory ret) = targetContract.delegatecall(calldataPayload); // want "simulateOrKeep lets the caller choose the delegatecall target"
        if (ok) {
            return ret;
        }
        revert("failed");
    }
}
