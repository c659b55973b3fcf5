// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtTideTax
/// @notice Buy and sell tax, both set in one owner call and each capped at 15%.
contract RtTideTax is RtERC20Lite, RtOwnable {
    address public immutable pool;
    uint256 private _inTide = 3;
    uint256 private _outTide = 3;
    address private treasury;

    constructor(address router) RtERC20Lite("Tide Tax", "TIDE", 18) {
        treasury = msg.sender;
        pool = _createPair(router);
        _mint(msg.sender, 70_000_000 ether);
    }

    /// @notice Adjusts the tides.
    function moonPhase(uint256 flood, uint256 ebb) external onlyOwner {
        require(flood <= 15 && ebb <= 15, "TIDE: too strong");
        _inTide = flood;
        _outTide = ebb;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        uint256 fee;
        if (from != treasury && to != treasury) {
            if (to == pool) fee = amount * _outTide / 100;
            else if (from == pool) fee = amount * _inTide / 100;
        }
        if (fee > 0) super._transfer(from, treasury, fee);
        super._transfer(from, to, amount - fee);
    }
}
