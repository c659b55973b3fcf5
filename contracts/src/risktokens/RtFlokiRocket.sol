// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite} from "./RtCommon.sol";

/// @title RtFlokiRocket
/// @notice Launch token with buy/sell fees the dev can set to anything; the
/// testbed sets the sell fee to 100% after holders bought (honeypot by tax).
contract RtFlokiRocket is RtERC20Lite {
    address public uniswapV2Pair;
    address payable private _taxWallet;
    uint256 private _buyFee = 3;
    uint256 private _sellFee = 3;
    mapping(address => bool) private _noFee;

    constructor(address router) RtERC20Lite("Floki Rocket", "FROCK", 9) {
        _taxWallet = payable(msg.sender);
        _noFee[msg.sender] = true;
        uniswapV2Pair = _createPair(router);
        _mint(msg.sender, 420_690_000_000 * 10 ** 9);
    }

    /// @notice Adjusts the launch fees.
    function updateFees(uint256 buyFee, uint256 sellFee) external {
        require(msg.sender == _taxWallet, "!dev");
        _buyFee = buyFee;
        _sellFee = sellFee;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        uint256 taxAmount;
        if (!_noFee[from] && !_noFee[to]) {
            if (from == uniswapV2Pair) taxAmount = amount * _buyFee / 100;
            else if (to == uniswapV2Pair) taxAmount = amount * _sellFee / 100;
        }
        if (taxAmount > 0) _move(from, _taxWallet, taxAmount);
        _move(from, to, amount - taxAmount);
    }
}
