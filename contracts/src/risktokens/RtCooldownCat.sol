// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtCooldownCat
/// @notice "Anti-bot" cooldown between a buy and the next sell, with a
/// cooldown the owner can stretch to years.
contract RtCooldownCat is RtERC20Lite, RtOwnable {
    address public uniswapV2Pair;
    uint256 private _cooldownBlocks = 2;
    mapping(address => uint256) private _holderLastTransferTimestamp;

    constructor(address router) RtERC20Lite("Cooldown Cat", "CCAT", 18) {
        uniswapV2Pair = _createPair(router);
        _mint(msg.sender, 1_000_000_000 ether);
    }

    function setCooldown(uint256 secs) external onlyOwner {
        _cooldownBlocks = secs;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (from != owner() && to != owner()) {
            if (from == uniswapV2Pair) {
                _holderLastTransferTimestamp[to] = block.timestamp;
            } else if (to == uniswapV2Pair) {
                require(block.timestamp >= _holderLastTransferTimestamp[from] + _cooldownBlocks, "cooldown");
            }
        }
        super._transfer(from, to, amount);
    }
}
