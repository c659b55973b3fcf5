// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IPriceOracle
/// @notice Prices tokens in WETH.
interface IPriceOracle {
    /// @notice The WETH value, scaled by 1e18, of one whole token (10**decimals units).
    /// @dev price(WETH) is 1e18.
    function price(address token) external view returns (uint256 wethPerToken);
}
