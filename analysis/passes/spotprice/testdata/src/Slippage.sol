// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IMintPool {
    function slot0() external view returns (uint160 sqrtPriceX96, int24 tick, uint16, uint16, uint16, uint8, bool);
    function mint(address recipient, uint128 liquidity) external returns (uint256 amount0, uint256 amount1);
    function initialize(uint160 sqrtPriceX96) external;
}

// Uniswap v3 periphery: the spot price sizes a liquidity position, and the
// amounts the pool actually takes are checked against the caller's minimums.
contract LiquidityManagerLike {
    struct AddParams {
        IMintPool pool;
        uint256 amount0Min;
        uint256 amount1Min;
    }

    function mint(IMintPool pool, uint256 amount0Min, uint256 amount1Min) external returns (uint256 amount0, uint256 amount1) {
        (amount0, amount1) = addLiquidity(AddParams({pool: pool, amount0Min: amount0Min, amount1Min: amount1Min}));
    }

    function addLiquidity(AddParams memory params) internal returns (uint256 amount0, uint256 amount1) {
        (uint160 sqrtPriceX96, , , , , , ) = params.pool.slot0();
        uint128 liquidity = uint128(sqrtPriceX96 >> 64);
        (amount0, amount1) = params.pool.mint(msg.sender, liquidity);
        require(amount0 >= params.amount0Min && amount1 >= params.amount1Min, "Price slippage check");
    }

    // The spot value only tells whether the pool is initialized.
    function createIfNecessary(IMintPool pool, uint160 sqrtPriceX96) external {
        (uint160 sqrtPriceX96Existing, , , , , , ) = pool.slot0();
        if (sqrtPriceX96Existing == 0) {
            pool.initialize(sqrtPriceX96);
        }
    }

    // Positive: the same sizing with no bound on what the pool takes.
    function addLiquidityUnbounded(IMintPool pool) external returns (uint256 amount0, uint256 amount1) {
        (uint160 sqrtPriceX96, , , , , , ) = pool.slot0(); // want "spot price from slot0"
        uint128 liquidity = uint128(sqrtPriceX96 >> 64);
        (amount0, amount1) = pool.mint(msg.sender, liquidity);
    }

    // Positive: the spot value is compared with more than zero.
    function priceAbove(IMintPool pool, uint160 floor) external view returns (bool) {
        (uint160 sqrtPriceX96Existing, , , , , , ) = pool.slot0(); // want "spot price from slot0"
        return sqrtPriceX96Existing == 0 || sqrtPriceX96Existing > floor;
    }
}
