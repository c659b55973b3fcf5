// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtWhaleGuard
/// @notice Anti-whale max transaction and max wallet, adjustable by the owner
/// but never below 0.1% of supply.
contract RtWhaleGuard is RtERC20Lite, RtOwnable {
    address public immutable pair;
    uint256 public maxTransactionAmount;
    uint256 public maxWallet;
    mapping(address => bool) private _isExcludedMaxTransactionAmount;

    constructor(address router) RtERC20Lite("Whale Guard", "WGRD", 18) {
        pair = _createPair(router);
        _mint(msg.sender, 1_000_000 ether);
        maxTransactionAmount = totalSupply / 50;
        maxWallet = totalSupply / 40;
        _isExcludedMaxTransactionAmount[msg.sender] = true;
        _isExcludedMaxTransactionAmount[pair] = true;
    }

    function updateLimits(uint256 maxTx, uint256 maxW) external onlyOwner {
        require(maxTx >= totalSupply / 1000 && maxW >= totalSupply / 1000, "too low");
        maxTransactionAmount = maxTx;
        maxWallet = maxW;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (!_isExcludedMaxTransactionAmount[from] && !_isExcludedMaxTransactionAmount[to]) {
            require(amount <= maxTransactionAmount, "Buy transfer amount exceeds the maxTransactionAmount.");
        }
        if (from == pair && !_isExcludedMaxTransactionAmount[to]) {
            require(amount <= maxTransactionAmount, "Buy transfer amount exceeds the maxTransactionAmount.");
            require(balanceOf(to) + amount <= maxWallet, "Max wallet exceeded");
        }
        super._transfer(from, to, amount);
    }
}
