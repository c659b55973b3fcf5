// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {IUniswapV2Factory} from "../interfaces/IUniswapV2Factory.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {SafeTransfer} from "../tokens/SafeTransfer.sol";

/// @title RtFeeSwapRouter
/// @notice Uniswap V2 Router02's fee-on-transfer-safe exact-input swap
/// (swapExactTokensForTokensSupportingFeeOnTransferTokens) over an
/// AMMFactory: the pair is paid what actually arrived, so taxed tokens can
/// be sold through the router's transferFrom the way wallets sell them.
/// The risk-token testbed sells through it.
contract RtFeeSwapRouter {
    using SafeTransfer for IERC20;

    address public immutable factory;

    error Expired(uint256 deadline, uint256 timestamp);
    error InsufficientOutputAmount(uint256 amountOut, uint256 amountOutMin);
    error PairNotFound(address tokenA, address tokenB);

    constructor(address factory_) {
        factory = factory_;
    }

    function _pairFor(address a, address b) internal view returns (address pair) {
        pair = IUniswapV2Factory(factory).getPair(a, b);
        if (pair == address(0)) revert PairNotFound(a, b);
    }

    /// @notice Uniswap V2 getAmountOut with the 0.3% fee.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) public pure returns (uint256) {
        if (amountIn == 0 || reserveIn == 0 || reserveOut == 0) return 0;
        uint256 inWithFee = amountIn * 997;
        return inWithFee * reserveOut / (reserveIn * 1000 + inWithFee);
    }

    function _hop(address input, address output, address dst) private {
        IUniswapV2Pair pair = IUniswapV2Pair(_pairFor(input, output));
        address token0 = pair.token0();
        (uint256 r0, uint256 r1,) = pair.getReserves();
        (uint256 rIn, uint256 rOut) = input == token0 ? (r0, r1) : (r1, r0);
        uint256 out = getAmountOut(IERC20(input).balanceOf(address(pair)) - rIn, rIn, rOut);
        (uint256 o0, uint256 o1) = input == token0 ? (uint256(0), out) : (out, uint256(0));
        pair.swap(o0, o1, dst, new bytes(0));
    }

    /// @notice Swaps exactly `amountIn` of path[0] (less whatever its
    /// transfer keeps) along path, sending the output to `to`.
    function swapExactTokensForTokensSupportingFeeOnTransferTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external {
        if (deadline < block.timestamp) revert Expired(deadline, block.timestamp);
        IERC20(path[0]).safeTransferFrom(msg.sender, _pairFor(path[0], path[1]), amountIn);
        address last = path[path.length - 1];
        uint256 before = IERC20(last).balanceOf(to);
        for (uint256 i; i < path.length - 1; i++) {
            address dst = i < path.length - 2 ? _pairFor(path[i + 1], path[i + 2]) : to;
            _hop(path[i], path[i + 1], dst);
        }
        uint256 got = IERC20(last).balanceOf(to) - before;
        if (got < amountOutMin) revert InsufficientOutputAmount(got, amountOutMin);
    }
}
