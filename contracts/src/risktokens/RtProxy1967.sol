// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RtProxy1967
/// @notice Minimal EIP-1967 transparent proxy: the admin (here an EOA) can
/// swap the implementation at any time; everyone else is delegated.
contract RtProxy1967 {
    bytes32 private constant _IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 private constant _ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);

    constructor(address implementation, address admin_, bytes memory data) payable {
        _setImpl(implementation);
        assembly {
            sstore(_ADMIN_SLOT, admin_)
        }
        emit AdminChanged(address(0), admin_);
        if (data.length > 0) {
            (bool ok,) = implementation.delegatecall(data);
            require(ok, "init failed");
        }
    }

    function _admin() private view returns (address a) {
        assembly {
            a := sload(_ADMIN_SLOT)
        }
    }

    function _setImpl(address i) private {
        require(i.code.length > 0, "not a contract");
        assembly {
            sstore(_IMPLEMENTATION_SLOT, i)
        }
        emit Upgraded(i);
    }

    function upgradeTo(address newImplementation) external {
        if (msg.sender != _admin()) _fallback();
        _setImpl(newImplementation);
    }

    fallback() external payable {
        _fallback();
    }

    receive() external payable {
        _fallback();
    }

    function _fallback() private {
        require(msg.sender != _admin(), "admin cannot fallback");
        assembly {
            let impl := sload(_IMPLEMENTATION_SLOT)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
