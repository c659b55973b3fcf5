// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite} from "./RtCommon.sol";

/// @title RtLimitsFixed
/// @notice Honest anti-whale token: a 2% max wallet fixed at deployment
/// that nobody can change. No owner.
contract RtLimitsFixed is RtERC20Lite {
    uint256 public immutable maxWallet;
    address public immutable pair;
    address private immutable _launcher;

    constructor(address router) RtERC20Lite("Fair Launch", "FAIR", 18) {
        _launcher = msg.sender;
        pair = _createPair(router);
        _mint(msg.sender, 1_000_000 ether);
        maxWallet = totalSupply / 50;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (to != pair && to != _launcher) require(balanceOf(to) + amount <= maxWallet, "max wallet");
        super._transfer(from, to, amount);
    }
}
