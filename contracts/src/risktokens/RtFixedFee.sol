// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite} from "./RtCommon.sol";

/// @title RtFixedFee
/// @notice Honest fee token: a swap fee fixed at deployment (capped at 5%,
/// immutable), paid to an immutable treasury. No owner.
contract RtFixedFee is RtERC20Lite {
    uint256 public immutable feeBps;
    address public immutable treasury;
    address public immutable pair;

    constructor(address router, uint256 feeBps_) RtERC20Lite("Fixed Fee", "FIXF", 18) {
        require(feeBps_ <= 500, "fee above 5%");
        feeBps = feeBps_;
        treasury = msg.sender;
        pair = _createPair(router);
        _mint(msg.sender, 30_000_000 ether);
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        uint256 fee;
        if ((from == pair || to == pair) && from != treasury && to != treasury) fee = amount * feeBps / 10_000;
        if (fee > 0) _move(from, treasury, fee);
        _move(from, to, amount - fee);
    }
}
