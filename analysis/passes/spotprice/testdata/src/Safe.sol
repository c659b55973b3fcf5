// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Interfaces.sol";

// Negative: fixed-window TWAP; the spot reserves only extrapolate the
// accumulator.
contract TwapOracle {
    IPair public pair;
    uint256 public priceCumulative;
    uint32 public last;
    uint256 public average;

    function current() public view returns (uint256 cumulative) {
        cumulative = pair.price0CumulativeLast();
        (uint112 r0, uint112 r1, uint32 t) = pair.getReserves();
        if (t != uint32(block.timestamp)) {
            cumulative += uint256(r1) * 2 ** 112 / r0 * (block.timestamp - t);
        }
    }

    function update() external {
        uint256 c = current();
        average = (c - priceCumulative) / (block.timestamp - last);
        priceCumulative = c;
        last = uint32(block.timestamp);
    }

    function getPrice() external view returns (uint256) {
        return average;
    }
}

// Negative: a router executing a swap at the current price with a
// caller-given minimum.
contract Router {
    function getAmountOut(uint256 amountIn, uint256 rIn, uint256 rOut) public pure returns (uint256) {
        uint256 inWithFee = amountIn * 997;
        return inWithFee * rOut / (rIn * 1000 + inWithFee);
    }

    function swapExact(IPair pair, IToken tokenIn, uint256 amountIn, uint256 amountOutMin) external {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        uint256 amountOut = getAmountOut(amountIn, r0, r1);
        require(amountOut >= amountOutMin, "slippage");
        tokenIn.transferFrom(msg.sender, address(pair), amountIn);
        pair.swap(0, amountOut, msg.sender, "");
    }
}

// Negative: Chainlink-priced lending.
contract FeedLending {
    IFeed public feed;
    mapping(address => uint256) public collateralOf;

    function collateralValue(address user) public view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        require(answer > 0 && block.timestamp - updatedAt < 1 hours, "stale");
        return collateralOf[user] * uint256(answer) / 1e8;
    }
}

// Negative: reserves only emitted for off-chain monitoring.
contract ReserveReporter {
    IPair public pair;
    event Reserves(uint256 r0, uint256 r1);

    function report() external {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        emit Reserves(r0, r1);
    }
}
