// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title ThinPoolSpotMarket
/// @notice A thin constant-product spot market for a governance token
/// against USDx, with its own interface (buyBase / sellBase / lastPrice).
contract ThinPoolSpotMarket is Guarded {
    /// @notice The listed token (e.g. MNGOx).
    IERC20 public immutable base;
    /// @notice The dollar token.
    IERC20 public immutable quote;
    /// @notice Reserves.
    uint256 public baseReserve;
    /// @notice Reserves.
    uint256 public quoteReserve;

    /// @notice Emitted on every fill.
    event Fill(address indexed taker, bool buy, uint256 baseAmount, uint256 quoteAmount, uint256 price);
    /// @notice The output is below the taker's minimum.
    error Slippage(uint256 out, uint256 minOut);

    /// @param base_ The listed token.
    /// @param quote_ The dollar token.
    /// @param guardian_ The pause guardian.
    constructor(IERC20 base_, IERC20 quote_, address guardian_) Guarded(guardian_) {
        base = base_;
        quote = quote_;
    }

    /// @notice The market maker seeds (or adds to) the book.
    function seed(uint256 baseAmount, uint256 quoteAmount) external onlyOwner {
        base.transferFrom(msg.sender, address(this), baseAmount);
        quote.transferFrom(msg.sender, address(this), quoteAmount);
        baseReserve += baseAmount;
        quoteReserve += quoteAmount;
    }

    /// @notice The last traded (marginal) price in USDx per whole base, 1e18-scaled.
    function lastPrice() public view returns (uint256) {
        return quoteReserve * 1e18 / baseReserve;
    }

    /// @notice Spends `quoteIn` USDx on base.
    function buyBase(uint256 quoteIn, uint256 minOut) external whenNotPaused returns (uint256 out) {
        out = baseReserve * quoteIn * 997 / (quoteReserve * 1000 + quoteIn * 997);
        if (out < minOut) revert Slippage(out, minOut);
        quote.transferFrom(msg.sender, address(this), quoteIn);
        quoteReserve += quoteIn;
        baseReserve -= out;
        base.transfer(msg.sender, out);
        emit Fill(msg.sender, true, out, quoteIn, lastPrice());
    }

    /// @notice Sells `baseIn` for USDx.
    function sellBase(uint256 baseIn, uint256 minOut) external whenNotPaused returns (uint256 out) {
        out = quoteReserve * baseIn * 997 / (baseReserve * 1000 + baseIn * 997);
        if (out < minOut) revert Slippage(out, minOut);
        base.transferFrom(msg.sender, address(this), baseIn);
        baseReserve += baseIn;
        quoteReserve -= out;
        quote.transfer(msg.sender, out);
        emit Fill(msg.sender, false, baseIn, out, lastPrice());
    }
}

/// @title ThinPoolPerpMarket
/// @notice A margin-lending venue (Mango Markets style) that lends USDx
/// against deposited tokens marked to an oracle. Re-creates Mango Markets
/// (Oct 2022): the collateral's oracle followed a thin spot market, which
/// the attacker pushed up with its own money over several blocks (no flash
/// loan), then borrowed the venue's USDx against the inflated collateral.
/// The fixed variant marks collateral to an owner-maintained reference
/// price (an off-market feed) instead.
contract ThinPoolPerpMarket is Guarded {
    /// @notice The lent dollar token.
    IERC20 public immutable usd;
    /// @notice The collateral token.
    IERC20 public immutable collateral;
    /// @notice The thin spot market.
    ThinPoolSpotMarket public immutable spot;
    /// @notice True for the fixed variant: use `referencePrice`.
    bool public immutable useReference;
    /// @notice Owner-maintained reference price, 1e18-scaled.
    uint256 public referencePrice;
    /// @notice Initial margin in basis points (max borrow / collateral value).
    uint256 public constant INIT_MARGIN_BPS = 5000;
    /// @notice Collateral per account.
    mapping(address => uint256) public collateralOf;
    /// @notice Debt per account.
    mapping(address => uint256) public debtOf;

    /// @notice Emitted on borrow.
    event Borrow(address indexed account, uint256 amount, uint256 oraclePrice);
    /// @notice Not enough margin.
    error InsufficientMargin(uint256 limit, uint256 debt);

    /// @param usd_ The lent token.
    /// @param collateral_ The collateral token.
    /// @param spot_ The spot market.
    /// @param referencePrice_ The fixed variant's reference price.
    /// @param guardian_ The pause guardian.
    /// @param useReference_ True for the fixed variant.
    constructor(IERC20 usd_, IERC20 collateral_, ThinPoolSpotMarket spot_, uint256 referencePrice_, address guardian_, bool useReference_)
        Guarded(guardian_)
    {
        usd = usd_;
        collateral = collateral_;
        spot = spot_;
        referencePrice = referencePrice_;
        useReference = useReference_;
    }

    /// @notice The collateral's oracle price.
    function oraclePrice() public view returns (uint256) {
        // VULNERABLE: marked to the thin market's last price, which anyone
        // with enough capital can move over a few blocks.
        return useReference ? referencePrice : spot.lastPrice();
    }

    /// @notice Lenders fund the venue.
    function supply(uint256 amount) external whenNotPaused {
        usd.transferFrom(msg.sender, address(this), amount);
    }

    /// @notice Posts collateral.
    function depositCollateral(uint256 amount) external whenNotPaused {
        collateral.transferFrom(msg.sender, address(this), amount);
        collateralOf[msg.sender] += amount;
    }

    /// @notice The most USDx `account` may owe.
    function borrowLimit(address account) public view returns (uint256) {
        return collateralOf[account] * oraclePrice() / 1e18 * INIT_MARGIN_BPS / 10_000;
    }

    /// @notice Borrows `amount` USDx.
    function borrow(uint256 amount) external whenNotPaused {
        uint256 debt = debtOf[msg.sender] + amount;
        uint256 limit = borrowLimit(msg.sender);
        if (debt > limit) revert InsufficientMargin(limit, debt);
        debtOf[msg.sender] = debt;
        usd.transfer(msg.sender, amount);
        emit Borrow(msg.sender, amount, oraclePrice());
    }
}
