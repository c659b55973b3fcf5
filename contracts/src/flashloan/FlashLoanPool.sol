// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {ReentrancyGuard} from "../access/ReentrancyGuard.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IERC3156FlashBorrower} from "../interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "../interfaces/IERC3156FlashLender.sol";
import {SafeTransfer} from "../tokens/SafeTransfer.sol";

/// @title FlashLoanPool
/// @notice ERC-3156 flash lender for any ERC-20 it holds. Liquidity providers
/// deposit a token and receive per-token shares; flash-loan fees accrue to
/// them because shares are redeemed against the pool's balance.
contract FlashLoanPool is IERC3156FlashLender, Guarded, ReentrancyGuard {
    using SafeTransfer for IERC20;

    /// @notice The value a borrower's onFlashLoan must return.
    bytes32 public constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");
    /// @notice Upper bound for the fee: 1%.
    uint256 public constant MAX_FEE_BPS = 100;

    /// @notice Flash-loan fee in basis points (9 = 0.09%).
    uint256 public feeBps;
    /// @notice Total LP shares per token.
    mapping(address => uint256) public totalShares;
    /// @notice LP shares per token per provider.
    mapping(address => mapping(address => uint256)) public sharesOf;

    /// @notice Emitted on every flash loan.
    event FlashLoan(address indexed receiver, address indexed token, uint256 amount, uint256 fee);
    /// @notice Emitted when a provider adds liquidity.
    event Deposit(address indexed provider, address indexed token, uint256 amount, uint256 shares);
    /// @notice Emitted when a provider removes liquidity.
    event Withdraw(address indexed provider, address indexed token, uint256 amount, uint256 shares);
    /// @notice Emitted when the fee changes.
    event FeeChanged(uint256 previousBps, uint256 newBps);

    /// @notice Amount is zero or exceeds what the pool holds.
    error InvalidAmount(uint256 amount);
    /// @notice The borrower's callback did not return CALLBACK_SUCCESS.
    error CallbackFailed(address receiver);
    /// @notice The pool's balance after the loan is below balance + fee.
    error NotRepaid(uint256 expected, uint256 actual);
    /// @notice Fee above MAX_FEE_BPS.
    error FeeTooHigh(uint256 bps);
    /// @notice Not enough shares.
    error InsufficientShares(uint256 have, uint256 want);

    /// @param guardian_ The pause guardian.
    /// @param feeBps_ Fee in basis points (at most 100).
    constructor(address guardian_, uint256 feeBps_) Guarded(guardian_) {
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_);
        feeBps = feeBps_;
        emit FeeChanged(0, feeBps_);
    }

    /// @notice Sets the flash-loan fee.
    function setFee(uint256 bps) external onlyOwner {
        if (bps > MAX_FEE_BPS) revert FeeTooHigh(bps);
        emit FeeChanged(feeBps, bps);
        feeBps = bps;
    }

    /// @notice Adds `amount` of `token` liquidity for the caller.
    /// @return shares The shares minted.
    function deposit(address token, uint256 amount) external whenNotPaused nonReentrant returns (uint256 shares) {
        if (amount == 0) revert InvalidAmount(amount);
        uint256 balance = IERC20(token).balanceOf(address(this));
        uint256 total = totalShares[token];
        shares = total == 0 || balance == 0 ? amount : amount * total / balance;
        if (shares == 0) revert InvalidAmount(amount);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        totalShares[token] = total + shares;
        sharesOf[token][msg.sender] += shares;
        emit Deposit(msg.sender, token, amount, shares);
    }

    /// @notice Redeems `shares` of `token` liquidity for the caller.
    /// @return amount The tokens sent to the caller.
    function withdraw(address token, uint256 shares) external whenNotPaused nonReentrant returns (uint256 amount) {
        uint256 have = sharesOf[token][msg.sender];
        if (shares == 0 || shares > have) revert InsufficientShares(have, shares);
        uint256 total = totalShares[token];
        amount = shares * IERC20(token).balanceOf(address(this)) / total;
        sharesOf[token][msg.sender] = have - shares;
        totalShares[token] = total - shares;
        IERC20(token).safeTransfer(msg.sender, amount);
        emit Withdraw(msg.sender, token, amount, shares);
    }

    /// @notice The token amount `provider`'s shares are worth now.
    function balanceOfUnderlying(address token, address provider) external view returns (uint256) {
        uint256 total = totalShares[token];
        if (total == 0) return 0;
        return sharesOf[token][provider] * IERC20(token).balanceOf(address(this)) / total;
    }

    /// @inheritdoc IERC3156FlashLender
    function maxFlashLoan(address token) external view returns (uint256) {
        if (paused) return 0;
        return IERC20(token).balanceOf(address(this));
    }

    /// @inheritdoc IERC3156FlashLender
    function flashFee(address, uint256 amount) public view returns (uint256) {
        return amount * feeBps / 10_000;
    }

    /// @inheritdoc IERC3156FlashLender
    /// @dev Sends `amount`, calls receiver.onFlashLoan and pulls back
    /// amount + fee with transferFrom (the receiver must approve the pool).
    function flashLoan(IERC3156FlashBorrower receiver, address token, uint256 amount, bytes calldata data)
        external
        whenNotPaused
        nonReentrant
        returns (bool)
    {
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        if (amount == 0 || amount > balanceBefore) revert InvalidAmount(amount);
        uint256 fee = flashFee(token, amount);
        IERC20(token).safeTransfer(address(receiver), amount);
        if (receiver.onFlashLoan(msg.sender, token, amount, fee, data) != CALLBACK_SUCCESS) {
            revert CallbackFailed(address(receiver));
        }
        IERC20(token).safeTransferFrom(address(receiver), address(this), amount + fee);
        uint256 balanceAfter = IERC20(token).balanceOf(address(this));
        if (balanceAfter < balanceBefore + fee) revert NotRepaid(balanceBefore + fee, balanceAfter);
        emit FlashLoan(address(receiver), token, amount, fee);
        return true;
    }
}
