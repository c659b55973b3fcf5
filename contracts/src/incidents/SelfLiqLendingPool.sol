// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title SelfLiqLendingPool
/// @notice A single-asset (USDx) lending pool in the style of Euler Finance:
/// deposits (eTokens), leveraged `mint` that creates collateral and debt
/// together, `donateToReserves`, and a soft liquidation whose discount grows
/// with how unhealthy the violator is (up to 20%). Re-creates Euler Finance
/// (Mar 2023): donateToReserves had no health check, so a borrower could
/// push itself deep underwater and liquidate itself from a second account
/// at the maximum discount, leaving bad debt behind.
contract SelfLiqLendingPool is Guarded {
    /// @notice The pool's asset.
    IERC20 public immutable asset;
    /// @notice True for the fixed variant: donateToReserves checks health.
    bool public immutable checkDonation;
    /// @notice Collateral factor in basis points (self-collateralised).
    uint256 public constant CF_BPS = 9500;
    /// @notice Maximum liquidation discount in basis points.
    uint256 public constant MAX_DISCOUNT_BPS = 2000;
    /// @notice Collateral balance per account.
    mapping(address => uint256) public collateralOf;
    /// @notice Debt per account.
    mapping(address => uint256) public debtOf;
    /// @notice Donated reserves.
    uint256 public reserves;

    /// @notice Emitted on liquidation.
    event Liquidation(address indexed liquidator, address indexed violator, uint256 repay, uint256 yield);
    /// @notice Emitted on donation.
    event DonateToReserves(address indexed account, uint256 amount);
    /// @notice The account would be unhealthy.
    error Unhealthy(address account);
    /// @notice The violator is healthy.
    error ViolatorHealthy(address violator);
    /// @notice Self-liquidation from the same account.
    error SelfLiquidation();

    /// @param asset_ The pool's token.
    /// @param guardian_ The pause guardian.
    /// @param checkDonation_ True for the fixed variant.
    constructor(IERC20 asset_, address guardian_, bool checkDonation_) Guarded(guardian_) {
        asset = asset_;
        checkDonation = checkDonation_;
    }

    /// @notice True when collateral * CF covers the debt.
    function healthy(address account) public view returns (bool) {
        return collateralOf[account] * CF_BPS / 10_000 >= debtOf[account];
    }

    function _requireHealthy(address account) internal view {
        if (!healthy(account)) revert Unhealthy(account);
    }

    /// @notice Deposits `amount`.
    function deposit(uint256 amount) external whenNotPaused {
        asset.transferFrom(msg.sender, address(this), amount);
        collateralOf[msg.sender] += amount;
    }

    /// @notice Leverage: mints `amount` of collateral and of debt together.
    function mint(uint256 amount) external whenNotPaused {
        collateralOf[msg.sender] += amount;
        debtOf[msg.sender] += amount;
        _requireHealthy(msg.sender);
    }

    /// @notice Repays `amount` of debt with the account's collateral.
    function repayWithCollateral(uint256 amount) external whenNotPaused {
        collateralOf[msg.sender] -= amount;
        debtOf[msg.sender] -= amount;
    }

    /// @notice Gives `amount` of the caller's collateral to the reserves.
    function donateToReserves(uint256 amount) external whenNotPaused {
        collateralOf[msg.sender] -= amount;
        reserves += amount;
        // VULNERABLE: no health check: a borrower can donate itself
        // underwater and then liquidate itself at the maximum discount.
        if (checkDonation) _requireHealthy(msg.sender);
        emit DonateToReserves(msg.sender, amount);
    }

    /// @notice The liquidation discount for `violator` in basis points.
    function discountBps(address violator) public view returns (uint256) {
        uint256 debt = debtOf[violator];
        if (debt == 0) return 0;
        uint256 healthBps = collateralOf[violator] * CF_BPS / debt;
        if (healthBps >= 10_000) return 0;
        uint256 d = 10_000 - healthBps;
        return d > MAX_DISCOUNT_BPS ? MAX_DISCOUNT_BPS : d;
    }

    /// @notice Takes over as much of `violator`'s debt as its collateral
    /// covers at the discount, receiving the collateral.
    function liquidate(address violator) external whenNotPaused {
        if (violator == msg.sender) revert SelfLiquidation();
        if (healthy(violator)) revert ViolatorHealthy(violator);
        uint256 disc = discountBps(violator);
        uint256 yield = collateralOf[violator];
        uint256 repay = yield * (10_000 - disc) / 10_000;
        if (repay > debtOf[violator]) repay = debtOf[violator];
        collateralOf[violator] -= yield;
        debtOf[violator] -= repay;
        collateralOf[msg.sender] += yield;
        debtOf[msg.sender] += repay;
        _requireHealthy(msg.sender);
        emit Liquidation(msg.sender, violator, repay, yield);
    }

    /// @notice Withdraws `amount` of collateral.
    function withdraw(uint256 amount) external whenNotPaused {
        collateralOf[msg.sender] -= amount;
        _requireHealthy(msg.sender);
        asset.transfer(msg.sender, amount);
    }
}
