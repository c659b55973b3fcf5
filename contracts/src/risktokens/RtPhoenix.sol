// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtPhoenix
/// @notice A plain token with an owner-only self-destruct "emergency exit".
contract RtPhoenix is RtERC20Lite, RtOwnable {
    constructor() RtERC20Lite("Phoenix Rise", "PHX", 18) {
        _mint(msg.sender, 21_000_000 ether);
    }

    /// @notice Emergency exit.
    function rise() external onlyOwner {
        _burnout(payable(owner()));
    }

    function _burnout(address payable to) internal {
        selfdestruct(to);
    }
}
