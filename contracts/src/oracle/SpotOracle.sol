// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "../interfaces/IPriceOracle.sol";
import {IERC20Metadata} from "../interfaces/IERC20Metadata.sol";
import {IUniswapV2Factory} from "../interfaces/IUniswapV2Factory.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";

/// @title SpotOracle
/// @notice Prices a token in WETH from the current reserves of its
/// token/WETH pair on one AMM factory.
/// @dev VULNERABLE: the current reserves can be moved arbitrarily within a
/// single transaction (a flash-loaned swap), so anything valued with this
/// oracle can be over- or under-valued at will (Inverse Finance 2022,
/// Harvest 2020). Kept as the vulnerable variant of the lending market.
contract SpotOracle is IPriceOracle {
    /// @notice The AMM factory whose token/WETH pairs are read.
    IUniswapV2Factory public immutable factory;
    /// @notice Wrapped ether, the unit of account.
    address public immutable weth;

    /// @notice No token/WETH pair exists.
    error NoPair(address token);
    /// @notice The pair has no liquidity.
    error NoLiquidity(address pair);

    /// @param factory_ The AMMFactory to read pairs from.
    /// @param weth_ WETH.
    constructor(address factory_, address weth_) {
        factory = IUniswapV2Factory(factory_);
        weth = weth_;
    }

    /// @inheritdoc IPriceOracle
    function price(address token) external view returns (uint256) {
        if (token == weth) return 1e18;
        address pair = factory.getPair(token, weth);
        if (pair == address(0)) revert NoPair(token);
        (uint112 r0, uint112 r1,) = IUniswapV2Pair(pair).getReserves();
        (uint256 reserveToken, uint256 reserveWeth) = IUniswapV2Pair(pair).token0() == token ? (r0, r1) : (r1, r0);
        if (reserveToken == 0 || reserveWeth == 0) revert NoLiquidity(pair);
        // VULNERABLE: instantaneous reserves ratio.
        return reserveWeth * (10 ** IERC20Metadata(token).decimals()) / reserveToken;
    }
}
