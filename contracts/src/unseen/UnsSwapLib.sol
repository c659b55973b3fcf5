// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";

interface IUnsPool {
    function token0() external view returns (address);
    function getReserves() external view returns (uint112, uint112, uint32);
    function swap(uint256 amount0Out, uint256 amount1Out, address to) external;
    function sync() external;
}

/// @title UnsSwapLib
/// @notice Sells an exact input on an UnsPair-style pool.
library UnsSwapLib {
    function sell(address pool, address tokenIn, uint256 amountIn) internal returns (uint256 out) {
        (uint112 r0, uint112 r1,) = IUnsPool(pool).getReserves();
        bool zeroIn = IUnsPool(pool).token0() == tokenIn;
        (uint256 rIn, uint256 rOut) = zeroIn ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        IERC20(tokenIn).transfer(pool, amountIn);
        // The pool's balance may exceed its reserve (tokens sent in before).
        uint256 paid = IERC20(tokenIn).balanceOf(pool) - rIn;
        out = paid * 997 * rOut / (rIn * 1000 + paid * 997);
        if (out >= rOut) out = rOut - 1;
        if (zeroIn) IUnsPool(pool).swap(0, out, address(this));
        else IUnsPool(pool).swap(out, 0, address(this));
    }
}
