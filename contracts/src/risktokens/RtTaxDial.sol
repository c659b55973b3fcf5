// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtTaxDial
/// @notice Buy and sell tax the owner may raise to 100%.
contract RtTaxDial is RtERC20Lite, RtOwnable {
    address public immutable uniswapV2Pair;
    uint256 public buyTotalFees = 5;
    uint256 public sellTotalFees = 5;
    address private marketingWallet;
    mapping(address => bool) private _isExcludedFromFees;

    constructor(address router) RtERC20Lite("Tax Dial", "DIAL", 18) {
        marketingWallet = msg.sender;
        _isExcludedFromFees[msg.sender] = true;
        uniswapV2Pair = _createPair(router);
        _mint(msg.sender, 100_000_000 ether);
    }

    function updateBuyFees(uint256 fee) external onlyOwner {
        require(fee <= 100, "Must keep fees at 100% or less");
        buyTotalFees = fee;
    }

    function updateSellFees(uint256 fee) external onlyOwner {
        require(fee <= 100, "Must keep fees at 100% or less");
        sellTotalFees = fee;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        uint256 fees;
        if (!_isExcludedFromFees[from] && !_isExcludedFromFees[to]) {
            if (to == uniswapV2Pair) fees = amount * sellTotalFees / 100;
            else if (from == uniswapV2Pair) fees = amount * buyTotalFees / 100;
        }
        if (fees > 0) super._transfer(from, marketingWallet, fees);
        super._transfer(from, to, amount - fees);
    }
}
