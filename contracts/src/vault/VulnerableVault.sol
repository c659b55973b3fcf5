// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vault4626Base} from "./Vault4626Base.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title VulnerableVault
/// @notice A textbook-looking ERC-4626 vault whose share price is its token
/// balance divided by its share supply. Mirrors the empty-market exchange
/// rate bug of Hundred Finance (2023) and Raft (2023): the first depositor
/// mints one share for one wei, donates assets straight to the vault, and the
/// next depositor's shares round down to zero.
/// @dev VULNERABLE: (1) `totalAssets` is the live token balance, so a plain
/// transfer moves the price; (2) no virtual shares / decimals offset and no
/// dead shares, so an empty vault's price is set by its first depositor;
/// (3) `deposit` rounds shares down and accepts a deposit minting zero shares.
contract VulnerableVault is Vault4626Base {
    /// @param asset_ The underlying token (WETH).
    /// @param guardian_ The pause guardian.
    constructor(IERC20 asset_, address guardian_) Vault4626Base(asset_, "Vulnerable WETH Vault", "vvWETH", 18, guardian_) {}

    /// @notice Assets under management.
    /// @dev VULNERABLE: donations (direct transfers) inflate it.
    function totalAssets() public view override returns (uint256) {
        return _asset.balanceOf(address(this));
    }

    /// @dev VULNERABLE: with supply 1 and a donated balance B, any deposit
    /// below B + 1 mints zero shares (and is accepted).
    function _toShares(uint256 assets, bool roundUp) internal view override returns (uint256) {
        uint256 supply = totalSupply;
        if (supply == 0) return assets;
        return _mulDiv(assets, supply, totalAssets(), roundUp);
    }

    function _toAssets(uint256 shares, bool roundUp) internal view override returns (uint256) {
        uint256 supply = totalSupply;
        if (supply == 0) return shares;
        return _mulDiv(shares, totalAssets(), supply, roundUp);
    }
}
