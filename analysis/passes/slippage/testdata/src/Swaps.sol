// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IRouter {
    function swapExactTokensForTokens(uint256, uint256, address[] calldata, address, uint256) external returns (uint256[] memory);
    function addLiquidity(address, address, uint256, uint256, uint256, uint256, address, uint256) external returns (uint256, uint256, uint256);
}

interface IV3Router {
    struct ExactInputSingleParams {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        address recipient;
        uint256 deadline;
        uint256 amountIn;
        uint256 amountOutMinimum;
        uint160 sqrtPriceLimitX96;
    }
    function exactInputSingle(ExactInputSingleParams calldata) external returns (uint256);
}

interface ICurvePool {
    function exchange(int128 i, int128 j, uint256 dx, uint256 min_dy) external returns (uint256);
}

interface IPair {
    function swap(uint256, uint256, address, bytes calldata) external;
}

contract Harvester {
    IRouter public router;
    IV3Router public v3;
    ICurvePool public curve;
    IPair public pair;

    // Positive: zero minimum and block.timestamp deadline.
    function harvest(uint256 amount, address[] calldata path) external {
        router.swapExactTokensForTokens(amount, 0, path, address(this), block.timestamp); // want "minimum output is 0" "deadline = block.timestamp"
    }

    // Positive: V3 struct with amountOutMinimum: 0.
    function sell(address a, address b, uint256 amount) external {
        v3.exactInputSingle(IV3Router.ExactInputSingleParams({
            tokenIn: a,
            tokenOut: b,
            fee: 3000,
            recipient: address(this),
            deadline: block.timestamp, // want "deadline = block.timestamp"
            amountIn: amount,
            amountOutMinimum: 0, // want "0 passed as amountOutMinimum"
            sqrtPriceLimitX96: 0
        }));
    }

    // Positive: Curve exchange with min_dy 0 and liquidity with zero minimums.
    function rebalance(uint256 dx, address a, address b) external {
        curve.exchange(0, 1, dx, 0); // want "minimum output is 0"
        router.addLiquidity(a, b, dx, dx, 0, 0, address(this), 1e12); // want "minimum output is 0" "minimum output is 0"
    }

    // Negative: caller-supplied minimum and deadline.
    function harvestSafe(uint256 amount, uint256 minOut, address[] calldata path, uint256 deadline) external {
        router.swapExactTokensForTokens(amount, minOut, path, address(this), deadline);
        curve.exchange(0, 1, amount, minOut);
    }

    // Negative: low-level pair swap, where one output is always zero.
    function pairSwap(uint256 out) external {
        pair.swap(0, out, address(this), "");
    }
}

// Negative: test contracts are skipped.
contract HarvesterTest {
    IRouter public router;

    function testSwap(address[] calldata path) external {
        router.swapExactTokensForTokens(1, 0, path, address(this), block.timestamp);
    }
}
