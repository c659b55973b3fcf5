// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";

/// @title UnsPair
/// @notice A minimal constant-product pool (0.3% fee) that emits the
/// Uniswap-V2 Mint/Swap/Sync events but is none of Uniswap's code: no LP
/// token, liquidity is owned by whoever adds it and is not withdrawable.
contract UnsPair {
    address public immutable token0;
    address public immutable token1;
    uint112 private reserve0;
    uint112 private reserve1;

    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    event Sync(uint112 reserve0, uint112 reserve1);

    error BadOutput();
    error BadK();

    constructor(address t0, address t1) {
        token0 = t0;
        token1 = t1;
    }

    /// @notice Current reserves (the price the lending desk reads).
    function getReserves() external view returns (uint112, uint112, uint32) {
        return (reserve0, reserve1, uint32(block.timestamp));
    }

    /// @notice Adds liquidity pulled from the caller.
    function addLiquidity(uint256 amount0, uint256 amount1) external {
        IERC20(token0).transferFrom(msg.sender, address(this), amount0);
        IERC20(token1).transferFrom(msg.sender, address(this), amount1);
        _sync();
        emit Mint(msg.sender, amount0, amount1);
    }

    /// @notice Sends the outputs, then checks the constant product on what
    /// was paid in (tokens must be transferred in first).
    function swap(uint256 amount0Out, uint256 amount1Out, address to) external {
        if (amount0Out == 0 && amount1Out == 0) revert BadOutput();
        (uint256 r0, uint256 r1) = (reserve0, reserve1);
        if (amount0Out >= r0 || amount1Out >= r1) revert BadOutput();
        if (amount0Out > 0) IERC20(token0).transfer(to, amount0Out);
        if (amount1Out > 0) IERC20(token1).transfer(to, amount1Out);
        uint256 b0 = IERC20(token0).balanceOf(address(this));
        uint256 b1 = IERC20(token1).balanceOf(address(this));
        uint256 in0 = b0 > r0 - amount0Out ? b0 - (r0 - amount0Out) : 0;
        uint256 in1 = b1 > r1 - amount1Out ? b1 - (r1 - amount1Out) : 0;
        if ((b0 * 1000 - in0 * 3) * (b1 * 1000 - in1 * 3) < r0 * r1 * 1e6) revert BadK();
        _sync();
        emit Swap(msg.sender, in0, in1, amount0Out, amount1Out, to);
    }

    /// @notice Sets the reserves to the balances.
    function sync() external {
        _sync();
    }

    function _sync() private {
        reserve0 = uint112(IERC20(token0).balanceOf(address(this)));
        reserve1 = uint112(IERC20(token1).balanceOf(address(this)));
        emit Sync(reserve0, reserve1);
    }
}
