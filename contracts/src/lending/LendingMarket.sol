// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {ReentrancyGuard} from "../access/ReentrancyGuard.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IERC20Metadata} from "../interfaces/IERC20Metadata.sol";
import {IPriceOracle} from "../interfaces/IPriceOracle.sol";
import {SafeTransfer} from "../tokens/SafeTransfer.sol";

/// @title LendingMarket
/// @notice An isolated Compound/Aave-style market: lenders supply the
/// borrowable asset (WETH) for interest-bearing shares; borrowers post one
/// ERC-20 collateral token, valued by a pluggable IPriceOracle, and borrow up
/// to `collateralFactorBps` of its value. Interest accrues per second through
/// a borrow index with a kinked utilization rate model; positions whose debt
/// exceeds `liquidationThresholdBps` of the collateral value can be
/// liquidated up to the close factor for a bonus.
/// @dev The market is only as safe as its oracle. Deployed with a
/// SpotOracle it is the VULNERABLE variant (collateral value moves with the
/// pool's instantaneous reserves, so a flash-loaned swap inflates it); with a
/// TwapOracle it is the safe variant.
contract LendingMarket is Guarded, ReentrancyGuard {
    using SafeTransfer for IERC20;

    uint256 private constant WAD = 1e18;
    uint256 private constant BPS = 10_000;
    uint256 private constant SECONDS_PER_YEAR = 365 days;

    /// @notice The borrowable asset (WETH).
    IERC20 public immutable asset;
    /// @notice The collateral token.
    IERC20 public immutable collateral;
    /// @notice Values collateral in units of `asset`.
    IPriceOracle public immutable oracle;
    uint256 private immutable collateralUnit;

    /// @notice Borrow limit as a share of collateral value (7500 = 75%).
    uint256 public collateralFactorBps = 7_500;
    /// @notice Debt/collateral-value ratio above which a position is liquidatable.
    uint256 public liquidationThresholdBps = 8_000;
    /// @notice Extra collateral a liquidator receives (500 = 5%).
    uint256 public liquidationBonusBps = 500;
    /// @notice Largest share of a debt one liquidation may repay.
    uint256 public closeFactorBps = 5_000;
    /// @notice Share of interest kept as protocol reserves.
    uint256 public reserveFactorBps = 1_000;

    /// @notice Rate model (per year, WAD): base + slope1 * u below kink, then slope2 above.
    uint256 public baseRatePerYear = 0.02e18;
    uint256 public slope1PerYear = 0.2e18;
    uint256 public slope2PerYear = 2e18;
    uint256 public kink = 0.8e18;

    /// @notice Total lender shares.
    uint256 public totalShares;
    /// @notice Lender shares per account.
    mapping(address => uint256) public sharesOf;
    /// @notice Collateral deposited per account.
    mapping(address => uint256) public collateralOf;

    struct BorrowSnapshot {
        uint256 principal; // debt at the time of the last change
        uint256 index; // borrowIndex at that time
    }

    mapping(address => BorrowSnapshot) private borrows;
    /// @notice Total debt of all borrowers, including accrued interest.
    uint256 public totalBorrows;
    /// @notice Protocol reserves (part of the asset balance not owed to lenders).
    uint256 public totalReserves;
    /// @notice Cumulative interest index (WAD, starts at 1e18).
    uint256 public borrowIndex = WAD;
    /// @notice Timestamp of the last accrual.
    uint256 public accrualTimestamp;

    /// @notice Emitted when interest accrues.
    event AccrueInterest(uint256 cash, uint256 interest, uint256 borrowIndex, uint256 totalBorrows);
    /// @notice Emitted when a lender supplies the asset.
    event Supply(address indexed lender, uint256 amount, uint256 shares);
    /// @notice Emitted when a lender redeems shares.
    event Redeem(address indexed lender, uint256 amount, uint256 shares);
    /// @notice Emitted when collateral is deposited.
    event Deposit(address indexed account, uint256 amount);
    /// @notice Emitted when collateral is withdrawn.
    event Withdraw(address indexed account, uint256 amount);
    /// @notice Emitted on a borrow.
    event Borrow(address indexed borrower, uint256 amount, uint256 accountBorrows, uint256 totalBorrows);
    /// @notice Emitted on a repayment.
    event Repay(address indexed payer, address indexed borrower, uint256 amount, uint256 accountBorrows);
    /// @notice Emitted on a liquidation.
    event Liquidate(address indexed liquidator, address indexed borrower, uint256 repaid, uint256 collateralSeized);
    /// @notice Emitted when risk parameters change.
    event RiskParametersChanged(
        uint256 collateralFactorBps, uint256 liquidationThresholdBps, uint256 liquidationBonusBps, uint256 closeFactorBps
    );
    /// @notice Emitted when reserves are withdrawn.
    event ReservesWithdrawn(address indexed to, uint256 amount);

    error ZeroAmount();
    error InsufficientCash(uint256 cash, uint256 wanted);
    error InsufficientShares(uint256 have, uint256 wanted);
    error InsufficientCollateral(uint256 debt, uint256 borrowLimit);
    error PositionHealthy(address borrower);
    error RepayTooMuch(uint256 repay, uint256 maxRepay);
    error SelfLiquidation();
    error InvalidParameters();

    /// @param guardian_ The pause guardian.
    /// @param asset_ The borrowable asset (WETH).
    /// @param collateral_ The collateral token (must implement decimals()).
    /// @param oracle_ Prices the collateral in the asset.
    constructor(address guardian_, address asset_, address collateral_, address oracle_) Guarded(guardian_) {
        asset = IERC20(asset_);
        collateral = IERC20(collateral_);
        oracle = IPriceOracle(oracle_);
        collateralUnit = 10 ** IERC20Metadata(collateral_).decimals();
        accrualTimestamp = block.timestamp;
    }

    // ---- views ----

    /// @notice The asset the market holds and can lend.
    function getCash() public view returns (uint256) {
        return asset.balanceOf(address(this));
    }

    /// @notice Borrows / (cash + borrows - reserves), WAD.
    function utilization() public view returns (uint256) {
        return _utilization(getCash(), totalBorrows, totalReserves);
    }

    function _utilization(uint256 cash, uint256 borrows_, uint256 reserves) private pure returns (uint256) {
        if (borrows_ == 0) return 0;
        uint256 denom = cash + borrows_ - reserves;
        return borrows_ * WAD / denom;
    }

    /// @notice Current borrow rate per second, WAD.
    function borrowRatePerSecond() public view returns (uint256) {
        uint256 u = utilization();
        uint256 perYear;
        if (u <= kink) {
            perYear = baseRatePerYear + slope1PerYear * u / WAD;
        } else {
            perYear = baseRatePerYear + slope1PerYear * kink / WAD + slope2PerYear * (u - kink) / WAD;
        }
        return perYear / SECONDS_PER_YEAR;
    }

    /// @notice Asset value of one lender share, WAD.
    function exchangeRate() public view returns (uint256) {
        if (totalShares == 0) return WAD;
        return (getCash() + totalBorrows - totalReserves) * WAD / totalShares;
    }

    /// @notice The asset amount `lender`'s shares are worth (as of the last accrual).
    function supplyBalance(address lender) external view returns (uint256) {
        return sharesOf[lender] * exchangeRate() / WAD;
    }

    /// @notice `borrower`'s debt as of the last accrual.
    function borrowBalance(address borrower) public view returns (uint256) {
        BorrowSnapshot memory s = borrows[borrower];
        if (s.principal == 0) return 0;
        return s.principal * borrowIndex / s.index;
    }

    /// @notice Value of `account`'s collateral in the asset, at the oracle price.
    function collateralValue(address account) public view returns (uint256) {
        uint256 amount = collateralOf[account];
        if (amount == 0) return 0;
        return amount * oracle.price(address(collateral)) / collateralUnit;
    }

    /// @notice The most `account` may owe: collateral value * collateral factor.
    function borrowLimit(address account) public view returns (uint256) {
        return collateralValue(account) * collateralFactorBps / BPS;
    }

    /// @notice collateral value * liquidation threshold / debt, WAD;
    /// below 1e18 the position can be liquidated. max uint without debt.
    function healthFactor(address account) public view returns (uint256) {
        uint256 debt = borrowBalance(account);
        if (debt == 0) return type(uint256).max;
        return collateralValue(account) * liquidationThresholdBps / BPS * WAD / debt;
    }

    // ---- interest ----

    /// @notice Accrues interest up to now. Every state-changing function calls it.
    function accrueInterest() public {
        uint256 dt = block.timestamp - accrualTimestamp;
        if (dt == 0) return;
        accrualTimestamp = block.timestamp;
        uint256 borrows_ = totalBorrows;
        if (borrows_ == 0) return;
        uint256 factor = borrowRatePerSecond() * dt;
        uint256 interest = borrows_ * factor / WAD;
        totalBorrows = borrows_ + interest;
        totalReserves += interest * reserveFactorBps / BPS;
        borrowIndex += borrowIndex * factor / WAD;
        emit AccrueInterest(getCash(), interest, borrowIndex, totalBorrows);
    }

    // ---- lenders ----

    /// @notice Supplies `amount` of the asset for lender shares.
    /// @return shares Shares minted to the caller.
    function supply(uint256 amount) external whenNotPaused nonReentrant returns (uint256 shares) {
        if (amount == 0) revert ZeroAmount();
        accrueInterest();
        shares = totalShares == 0 ? amount : amount * WAD / exchangeRate();
        if (shares == 0) revert ZeroAmount();
        totalShares += shares;
        sharesOf[msg.sender] += shares;
        asset.safeTransferFrom(msg.sender, address(this), amount);
        emit Supply(msg.sender, amount, shares);
    }

    /// @notice Redeems `shares` for the asset (type(uint256).max: all).
    /// @return amount Asset sent to the caller.
    function redeem(uint256 shares) external whenNotPaused nonReentrant returns (uint256 amount) {
        accrueInterest();
        uint256 have = sharesOf[msg.sender];
        if (shares == type(uint256).max) shares = have;
        if (shares == 0 || shares > have) revert InsufficientShares(have, shares);
        amount = shares * exchangeRate() / WAD;
        uint256 cash = getCash();
        if (amount > cash) revert InsufficientCash(cash, amount);
        sharesOf[msg.sender] = have - shares;
        totalShares -= shares;
        asset.safeTransfer(msg.sender, amount);
        emit Redeem(msg.sender, amount, shares);
    }

    // ---- borrowers ----

    /// @notice Deposits `amount` of collateral for the caller.
    function deposit(uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        collateralOf[msg.sender] += amount;
        collateral.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposit(msg.sender, amount);
    }

    /// @notice Withdraws `amount` of the caller's collateral, keeping the
    /// position within its borrow limit.
    function withdraw(uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        accrueInterest();
        collateralOf[msg.sender] -= amount;
        _checkBorrowLimit(msg.sender);
        collateral.safeTransfer(msg.sender, amount);
        emit Withdraw(msg.sender, amount);
    }

    /// @notice Borrows `amount` of the asset against the caller's collateral.
    /// @dev In the vulnerable deployment the limit check trusts a spot price.
    function borrow(uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        accrueInterest();
        uint256 cash = getCash();
        if (amount > cash) revert InsufficientCash(cash, amount);
        uint256 debt = borrowBalance(msg.sender) + amount;
        borrows[msg.sender] = BorrowSnapshot(debt, borrowIndex);
        totalBorrows += amount;
        _checkBorrowLimit(msg.sender); // VULNERABLE with a SpotOracle: the limit follows the pool's spot price
        asset.safeTransfer(msg.sender, amount);
        emit Borrow(msg.sender, amount, debt, totalBorrows);
    }

    /// @notice Repays up to `amount` of `borrower`'s debt (type(uint256).max:
    /// all of it) from the caller. Not pausable, so debt can always shrink.
    /// @return repaid The amount actually repaid.
    function repay(address borrower, uint256 amount) external nonReentrant returns (uint256 repaid) {
        accrueInterest();
        repaid = _repay(msg.sender, borrower, amount);
    }

    function _repay(address payer, address borrower, uint256 amount) private returns (uint256 repaid) {
        uint256 debt = borrowBalance(borrower);
        repaid = amount > debt ? debt : amount;
        if (repaid == 0) revert ZeroAmount();
        uint256 remaining = debt - repaid;
        borrows[borrower] = BorrowSnapshot(remaining, borrowIndex);
        totalBorrows = totalBorrows > repaid ? totalBorrows - repaid : 0;
        asset.safeTransferFrom(payer, address(this), repaid);
        emit Repay(payer, borrower, repaid, remaining);
    }

    /// @notice Repays up to the close factor of an unhealthy `borrower`'s
    /// debt and seizes collateral worth the repayment plus the bonus.
    /// @return seized Collateral sent to the caller.
    function liquidate(address borrower, uint256 repayAmount)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 seized)
    {
        if (borrower == msg.sender) revert SelfLiquidation();
        accrueInterest();
        if (healthFactor(borrower) >= WAD) revert PositionHealthy(borrower);
        uint256 maxRepay = borrowBalance(borrower) * closeFactorBps / BPS;
        if (repayAmount > maxRepay) revert RepayTooMuch(repayAmount, maxRepay);
        uint256 repaid = _repay(msg.sender, borrower, repayAmount);
        uint256 price = oracle.price(address(collateral));
        seized = repaid * (BPS + liquidationBonusBps) / BPS * collateralUnit / price;
        uint256 available = collateralOf[borrower];
        if (seized > available) seized = available;
        collateralOf[borrower] = available - seized;
        collateral.safeTransfer(msg.sender, seized);
        emit Liquidate(msg.sender, borrower, repaid, seized);
    }

    function _checkBorrowLimit(address account) private view {
        uint256 debt = borrowBalance(account);
        if (debt == 0) return;
        uint256 limit = borrowLimit(account);
        if (debt > limit) revert InsufficientCollateral(debt, limit);
    }

    // ---- admin ----

    /// @notice Sets the risk parameters.
    function setRiskParameters(
        uint256 collateralFactorBps_,
        uint256 liquidationThresholdBps_,
        uint256 liquidationBonusBps_,
        uint256 closeFactorBps_
    ) external onlyOwner {
        if (
            collateralFactorBps_ > liquidationThresholdBps_ || liquidationThresholdBps_ >= BPS
                || liquidationBonusBps_ > 2_000 || closeFactorBps_ == 0 || closeFactorBps_ > BPS
        ) revert InvalidParameters();
        accrueInterest();
        collateralFactorBps = collateralFactorBps_;
        liquidationThresholdBps = liquidationThresholdBps_;
        liquidationBonusBps = liquidationBonusBps_;
        closeFactorBps = closeFactorBps_;
        emit RiskParametersChanged(collateralFactorBps_, liquidationThresholdBps_, liquidationBonusBps_, closeFactorBps_);
    }

    /// @notice Sets the interest rate model (per-year rates, WAD).
    function setRateModel(uint256 base, uint256 slope1, uint256 slope2, uint256 kink_) external onlyOwner {
        if (kink_ == 0 || kink_ > WAD) revert InvalidParameters();
        accrueInterest();
        baseRatePerYear = base;
        slope1PerYear = slope1;
        slope2PerYear = slope2;
        kink = kink_;
    }

    /// @notice Sends `amount` of reserves to `to`.
    function withdrawReserves(address to, uint256 amount) external onlyOwner nonReentrant {
        accrueInterest();
        if (amount > totalReserves) revert InsufficientCash(totalReserves, amount);
        totalReserves -= amount;
        asset.safeTransfer(to, amount);
        emit ReservesWithdrawn(to, amount);
    }
}
