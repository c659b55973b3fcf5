// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vault4626Base} from "./Vault4626Base.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {SafeTransfer} from "../tokens/SafeTransfer.sol";

/// @title SafeVault
/// @notice ERC-4626 vault hardened against first-depositor inflation in two
/// independent ways: (1) internal accounting, so tokens sent straight to the
/// vault never move the share price, and (2) OpenZeppelin-style virtual
/// shares and assets (a decimals offset), so even a manipulated price cannot
/// round an honest deposit down to nothing. Deposits minting zero shares
/// revert.
contract SafeVault is Vault4626Base {
    using SafeTransfer for IERC20;

    /// @notice Share decimals above the asset's: 10**6 virtual shares back
    /// the one virtual asset unit.
    uint8 public constant DECIMALS_OFFSET = 6;

    /// @notice Assets deposited and not withdrawn (donations excluded).
    uint256 public managedAssets;

    /// @notice Emitted when the owner sweeps tokens sent to the vault outside
    /// of deposits.
    event Skimmed(address indexed to, uint256 amount);

    /// @param asset_ The underlying token (WETH, 18 decimals).
    /// @param guardian_ The pause guardian.
    constructor(IERC20 asset_, address guardian_)
        Vault4626Base(asset_, "Safe WETH Vault", "svWETH", 18 + DECIMALS_OFFSET, guardian_)
    {}

    /// @notice Assets under management, from internal accounting.
    function totalAssets() public view override returns (uint256) {
        return managedAssets;
    }

    /// @notice Sends tokens held beyond `managedAssets` (donations) to `to`.
    /// @param to Where the surplus goes.
    function skim(address to) external onlyOwner {
        uint256 surplus = _asset.balanceOf(address(this)) - managedAssets;
        _asset.safeTransfer(to, surplus);
        emit Skimmed(to, surplus);
    }

    function _afterDeposit(uint256 assets, uint256 shares) internal override {
        if (shares == 0 || assets == 0) revert ZeroShares();
        managedAssets += assets;
    }

    function _beforeWithdraw(uint256 assets, uint256 shares) internal override {
        if (shares == 0 || assets == 0) revert ZeroShares();
        managedAssets -= assets;
    }

    function _toShares(uint256 assets, bool roundUp) internal view override returns (uint256) {
        return _mulDiv(assets, totalSupply + 10 ** DECIMALS_OFFSET, totalAssets() + 1, roundUp);
    }

    function _toAssets(uint256 shares, bool roundUp) internal view override returns (uint256) {
        return _mulDiv(shares, totalAssets() + 1, totalSupply + 10 ** DECIMALS_OFFSET, roundUp);
    }
}
