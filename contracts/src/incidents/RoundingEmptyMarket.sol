// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title RoundingEmptyMarket
/// @notice A Compound-fork money market with one collateral market (cToken
/// style shares, exchange rate = cash / shares) and one USDx borrow pool,
/// priced by an owner-set feed. Re-creates the empty-market donation and
/// rounding exploit of Hundred Finance (Apr 2023) and Sonne Finance
/// (May 2024): in a market with 2 wei of shares, a donation makes each share
/// worth half the cash, and `redeemUnderlying` rounds the shares it burns
/// down, so the borrower walks away with the donation while the liquidity
/// check still counts one share worth half of it.
contract RoundingEmptyMarket is Guarded {
    /// @notice The collateral underlying (e.g. WBTCx).
    IERC20 public immutable underlying;
    /// @notice The lent dollar token.
    IERC20 public immutable usd;
    /// @notice Collateral price in USDx per whole underlying, 1e18-scaled.
    uint256 public price;
    /// @notice Collateral factor in basis points.
    uint256 public constant CF_BPS = 7500;
    /// @notice True for the fixed variant: redeemUnderlying rounds up.
    bool public immutable roundUp;
    /// @notice Total collateral shares.
    uint256 public totalShares;
    /// @notice Shares per account.
    mapping(address => uint256) public sharesOf;
    /// @notice USDx debt per account.
    mapping(address => uint256) public debtOf;

    /// @notice Emitted on mint.
    event Mint(address indexed minter, uint256 amount, uint256 shares);
    /// @notice Emitted on redeem.
    event Redeem(address indexed redeemer, uint256 amount, uint256 shares);
    /// @notice Emitted on borrow.
    event Borrow(address indexed borrower, uint256 amount);

    /// @notice The account would be short of liquidity.
    error Shortfall(uint256 collateral, uint256 debt);
    /// @notice More shares than the account has.
    error NotEnoughShares(uint256 have, uint256 want);

    /// @param underlying_ The collateral token.
    /// @param usd_ The lent token.
    /// @param price_ Collateral price in USDx (1e18-scaled).
    /// @param guardian_ The pause guardian.
    /// @param roundUp_ True for the fixed variant.
    constructor(IERC20 underlying_, IERC20 usd_, uint256 price_, address guardian_, bool roundUp_) Guarded(guardian_) {
        underlying = underlying_;
        usd = usd_;
        price = price_;
        roundUp = roundUp_;
    }

    /// @notice The collateral cash (donations included, as in Compound).
    function getCash() public view returns (uint256) {
        return underlying.balanceOf(address(this));
    }

    /// @notice Supplies `amount` of the collateral underlying for shares.
    function mint(uint256 amount) external whenNotPaused {
        uint256 cash = getCash();
        uint256 shares = totalShares == 0 ? amount : amount * totalShares / cash;
        underlying.transferFrom(msg.sender, address(this), amount);
        totalShares += shares;
        sharesOf[msg.sender] += shares;
        emit Mint(msg.sender, amount, shares);
    }

    /// @notice Lenders fund the USDx pool (no interest in this model).
    function supplyUsd(uint256 amount) external whenNotPaused {
        usd.transferFrom(msg.sender, address(this), amount);
    }

    /// @notice Collateral value of `shares` at the current exchange rate, in USDx.
    function _value(uint256 shares, uint256 cash, uint256 total) internal view returns (uint256) {
        if (total == 0) return 0;
        return shares * cash / total * price / 1e18 * CF_BPS / 10_000;
    }

    /// @notice Borrows `amount` USDx against the account's shares.
    function borrow(uint256 amount) external whenNotPaused {
        uint256 debt = debtOf[msg.sender] + amount;
        uint256 coll = _value(sharesOf[msg.sender], getCash(), totalShares);
        if (coll < debt) revert Shortfall(coll, debt);
        debtOf[msg.sender] = debt;
        usd.transfer(msg.sender, amount);
        emit Borrow(msg.sender, amount);
    }

    /// @notice Redeems `amount` of underlying, burning the matching shares.
    function redeemUnderlying(uint256 amount) external whenNotPaused {
        uint256 cash = getCash();
        uint256 shares = amount * totalShares / cash;
        // VULNERABLE: rounding the burned shares down lets a redeem take up
        // to one share's worth of cash for free; in a market of 2 shares that
        // is half of everything.
        if (roundUp && shares * cash < amount * totalShares) shares += 1;
        uint256 have = sharesOf[msg.sender];
        if (shares > have) revert NotEnoughShares(have, shares);
        uint256 coll = _value(have - shares, cash, totalShares);
        if (coll < debtOf[msg.sender]) revert Shortfall(coll, debtOf[msg.sender]);
        sharesOf[msg.sender] = have - shares;
        totalShares -= shares;
        underlying.transfer(msg.sender, amount);
        emit Redeem(msg.sender, amount, shares);
    }
}
