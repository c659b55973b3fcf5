// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {ERC20} from "../tokens/ERC20.sol";
import {SafeTransfer} from "../tokens/SafeTransfer.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IERC4626} from "../interfaces/IERC4626.sol";

/// @title Vault4626Base
/// @notice ERC-4626 tokenized vault plumbing shared by the vulnerable and the
/// safe vault: share token, deposit/mint/withdraw/redeem, previews and
/// pausing. The exchange rate (`totalAssets`, `_toShares`, `_toAssets`) is
/// left to the variants, because that is exactly where they differ.
abstract contract Vault4626Base is ERC20, IERC4626, Guarded {
    using SafeTransfer for IERC20;

    /// @dev The underlying token (WETH in the testbed).
    IERC20 internal immutable _asset;

    /// @notice The redeemed or withdrawn amount exceeds the holder's maximum.
    error ExceedsMax(uint256 requested, uint256 max);
    /// @notice The operation would mint or burn zero shares or move zero assets.
    error ZeroShares();

    /// @param asset_ The underlying ERC-20.
    /// @param name_ Share token name.
    /// @param symbol_ Share token symbol.
    /// @param decimals_ Share token decimals.
    /// @param guardian_ The pause guardian.
    constructor(IERC20 asset_, string memory name_, string memory symbol_, uint8 decimals_, address guardian_)
        ERC20(name_, symbol_, decimals_)
        Guarded(guardian_)
    {
        _asset = asset_;
    }

    /// @inheritdoc IERC4626
    function asset() external view returns (address) {
        return address(_asset);
    }

    /// @inheritdoc IERC4626
    function totalAssets() public view virtual returns (uint256);

    /// @inheritdoc IERC4626
    function convertToShares(uint256 assets) external view returns (uint256) {
        return _toShares(assets, false);
    }

    /// @inheritdoc IERC4626
    function convertToAssets(uint256 shares) external view returns (uint256) {
        return _toAssets(shares, false);
    }

    /// @inheritdoc IERC4626
    function maxDeposit(address) external view returns (uint256) {
        return paused ? 0 : type(uint256).max;
    }

    /// @inheritdoc IERC4626
    function maxMint(address) external view returns (uint256) {
        return paused ? 0 : type(uint256).max;
    }

    /// @inheritdoc IERC4626
    function maxWithdraw(address holder) public view returns (uint256) {
        return paused ? 0 : _toAssets(balanceOf[holder], false);
    }

    /// @inheritdoc IERC4626
    function maxRedeem(address holder) public view returns (uint256) {
        return paused ? 0 : balanceOf[holder];
    }

    /// @inheritdoc IERC4626
    function previewDeposit(uint256 assets) public view returns (uint256) {
        return _toShares(assets, false);
    }

    /// @inheritdoc IERC4626
    function previewMint(uint256 shares) public view returns (uint256) {
        return _toAssets(shares, true);
    }

    /// @inheritdoc IERC4626
    function previewWithdraw(uint256 assets) public view returns (uint256) {
        return _toShares(assets, true);
    }

    /// @inheritdoc IERC4626
    function previewRedeem(uint256 shares) public view returns (uint256) {
        return _toAssets(shares, false);
    }

    /// @inheritdoc IERC4626
    function deposit(uint256 assets, address receiver) external whenNotPaused returns (uint256 shares) {
        shares = previewDeposit(assets);
        _deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    function mint(uint256 shares, address receiver) external whenNotPaused returns (uint256 assets) {
        assets = previewMint(shares);
        _deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    function withdraw(uint256 assets, address receiver, address holder)
        external
        whenNotPaused
        returns (uint256 shares)
    {
        uint256 max = maxWithdraw(holder);
        if (assets > max) revert ExceedsMax(assets, max);
        shares = previewWithdraw(assets);
        _withdraw(msg.sender, receiver, holder, assets, shares);
    }

    /// @inheritdoc IERC4626
    function redeem(uint256 shares, address receiver, address holder)
        external
        whenNotPaused
        returns (uint256 assets)
    {
        uint256 max = maxRedeem(holder);
        if (shares > max) revert ExceedsMax(shares, max);
        assets = previewRedeem(shares);
        _withdraw(msg.sender, receiver, holder, assets, shares);
    }

    /// @dev Pulls `assets`, mints `shares`. Variants hook bookkeeping and
    /// sanity checks through `_afterDeposit`.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal virtual {
        _asset.safeTransferFrom(caller, address(this), assets);
        _mint(receiver, shares);
        _afterDeposit(assets, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    /// @dev Burns `shares` of `holder` (spending the caller's allowance when
    /// it is not the holder) and sends `assets` to `receiver`.
    function _withdraw(address caller, address receiver, address holder, uint256 assets, uint256 shares)
        internal
        virtual
    {
        if (caller != holder) _spendAllowance(holder, caller, shares);
        _beforeWithdraw(assets, shares);
        _burn(holder, shares);
        _asset.safeTransfer(receiver, assets);
        emit Withdraw(caller, receiver, holder, assets, shares);
    }

    /// @dev Called after a deposit's transfer and mint.
    function _afterDeposit(uint256 assets, uint256 shares) internal virtual {}

    /// @dev Called before a withdrawal's burn and transfer.
    function _beforeWithdraw(uint256 assets, uint256 shares) internal virtual {}

    /// @dev Assets to shares, rounding up when `roundUp`.
    function _toShares(uint256 assets, bool roundUp) internal view virtual returns (uint256);

    /// @dev Shares to assets, rounding up when `roundUp`.
    function _toAssets(uint256 shares, bool roundUp) internal view virtual returns (uint256);

    /// @dev x * y / d, rounded down or up. Amounts in the testbed keep x * y
    /// far below 2^256, so the checked product is enough.
    function _mulDiv(uint256 x, uint256 y, uint256 d, bool roundUp) internal pure returns (uint256 z) {
        z = x * y / d;
        if (roundUp && mulmod(x, y, d) != 0) z += 1;
    }
}
