// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title AMMMath
/// @notice Integer helpers for the AMM.
library AMMMath {
    function min(uint256 x, uint256 y) internal pure returns (uint256) {
        return x < y ? x : y;
    }

    /// @notice Babylonian integer square root (floor).
    function sqrt(uint256 y) internal pure returns (uint256 z) {
        if (y > 3) {
            z = y;
            uint256 x = y / 2 + 1;
            while (x < z) {
                z = x;
                x = (y / x + x) / 2;
            }
        } else if (y != 0) {
            z = 1;
        }
    }
}

/// @title UQ112x112
/// @notice Binary fixed point with 112 fractional bits, as used for Uniswap
/// V2 cumulative prices: range [0, 2**112 - 1], resolution 1 / 2**112.
library UQ112x112 {
    uint224 internal constant Q112 = 2 ** 112;

    function encode(uint112 y) internal pure returns (uint224 z) {
        z = uint224(y) * Q112; // never overflows
    }

    function uqdiv(uint224 x, uint112 y) internal pure returns (uint224 z) {
        z = x / uint224(y);
    }
}
