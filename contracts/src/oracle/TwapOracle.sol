// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "../interfaces/IPriceOracle.sol";
import {IERC20Metadata} from "../interfaces/IERC20Metadata.sol";
import {IUniswapV2Factory} from "../interfaces/IUniswapV2Factory.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";

/// @title TwapOracle
/// @notice Manipulation-resistant price of a token in WETH: the
/// time-weighted average of the token/WETH pair's price over at least
/// `period` seconds, computed from the pair's UQ112x112 cumulative prices
/// (Uniswap V2 "fixed window" oracle). Anyone (normally a keeper) calls
/// update(token); price(token) returns the last stored average and never
/// reads the current reserves, so a swap earlier in the same transaction or
/// block cannot move it.
contract TwapOracle is IPriceOracle {
    /// @notice One token's observation.
    struct Observation {
        uint256 priceCumulative; // cumulative WETH-per-token price at `timestamp`
        uint32 timestamp; // time of the cumulative observation
        uint224 average; // UQ112x112 WETH-per-token-unit average over the last window
        uint64 updatedAt; // block.timestamp when `average` was set
    }

    /// @notice The AMM factory whose token/WETH pairs are read.
    IUniswapV2Factory public immutable factory;
    /// @notice Wrapped ether, the unit of account.
    address public immutable weth;
    /// @notice Minimum window length in seconds.
    uint32 public immutable period;
    /// @notice Maximum age of an average before price() reverts; 0 disables.
    uint64 public immutable maxAge;

    /// @notice Observations per token.
    mapping(address => Observation) public observations;

    /// @notice Emitted when a new average is stored.
    event PriceUpdated(address indexed token, uint256 wethPerToken, uint32 window);

    /// @notice No token/WETH pair exists.
    error NoPair(address token);
    /// @notice The pair has no liquidity.
    error NoLiquidity(address pair);
    /// @notice No average has been computed yet (update() twice, `period` apart).
    error NotReady(address token);
    /// @notice The stored average is older than maxAge.
    error StalePrice(address token, uint256 age);

    /// @param factory_ The AMMFactory to read pairs from.
    /// @param weth_ WETH.
    /// @param period_ Minimum averaging window in seconds (>= 1).
    /// @param maxAge_ Maximum age of the average in seconds (0 = unlimited).
    constructor(address factory_, address weth_, uint32 period_, uint64 maxAge_) {
        factory = IUniswapV2Factory(factory_);
        weth = weth_;
        period = period_ == 0 ? 1 : period_;
        maxAge = maxAge_;
    }

    /// @notice The pair's cumulative WETH-per-token price as of now, counting
    /// the time since the pair's last update at its current reserves.
    function currentCumulative(address token) public view returns (uint256 cumulative, uint32 timestamp) {
        address pair = factory.getPair(token, weth);
        if (pair == address(0)) revert NoPair(token);
        bool tokenIs0 = IUniswapV2Pair(pair).token0() == token;
        cumulative = tokenIs0 ? IUniswapV2Pair(pair).price0CumulativeLast() : IUniswapV2Pair(pair).price1CumulativeLast();
        timestamp = uint32(block.timestamp % 2 ** 32);
        (uint112 r0, uint112 r1, uint32 last) = IUniswapV2Pair(pair).getReserves();
        if (r0 == 0 || r1 == 0) revert NoLiquidity(pair);
        if (last != timestamp) {
            unchecked {
                uint32 elapsed = timestamp - last;
                // Counterfactual accumulation since the last swap at the
                // reserves that have held for `elapsed` seconds; a swap in this
                // block has already set last == timestamp, so it adds nothing.
                uint256 spot = tokenIs0 ? (uint256(r1) << 112) / r0 : (uint256(r0) << 112) / r1;
                cumulative += spot * elapsed;
            }
        }
    }

    /// @notice Starts tracking `token` or, once `period` has elapsed since
    /// the last observation, stores the average over that window.
    /// @return updated True when a new average was stored.
    function update(address token) external returns (bool updated) {
        (uint256 cumulative, uint32 timestamp) = currentCumulative(token);
        Observation storage o = observations[token];
        if (o.timestamp == 0) {
            o.priceCumulative = cumulative;
            o.timestamp = timestamp;
            return false;
        }
        uint32 elapsed;
        unchecked {
            elapsed = timestamp - o.timestamp;
        }
        if (elapsed < period) return false;
        uint224 average;
        unchecked {
            average = uint224((cumulative - o.priceCumulative) / elapsed); // overflow of the accumulator is desired
        }
        o.average = average;
        o.priceCumulative = cumulative;
        o.timestamp = timestamp;
        o.updatedAt = uint64(block.timestamp);
        emit PriceUpdated(token, _scale(token, average), elapsed);
        return true;
    }

    /// @inheritdoc IPriceOracle
    function price(address token) external view returns (uint256) {
        if (token == weth) return 1e18;
        Observation memory o = observations[token];
        if (o.average == 0) revert NotReady(token);
        if (maxAge != 0 && block.timestamp - o.updatedAt > maxAge) {
            revert StalePrice(token, block.timestamp - o.updatedAt);
        }
        return _scale(token, o.average);
    }

    function _scale(address token, uint224 average) private view returns (uint256) {
        return (uint256(average) * (10 ** IERC20Metadata(token).decimals())) >> 112;
    }
}
