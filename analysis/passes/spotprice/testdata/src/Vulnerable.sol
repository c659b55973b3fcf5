// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Interfaces.sol";

// Positive: an oracle whose price is the pair's reserve ratio.
contract SpotOracle {
    IPair public pair;
    address public token;

    function getPrice() external view returns (uint256) {
        (uint112 r0, uint112 r1,) = pair.getReserves(); // want "spot price from getReserves"
        (uint256 rt, uint256 rw) = pair.token0() == token ? (r0, r1) : (r1, r0);
        return uint256(rw) * 1e18 / rt;
    }
}

// Positive: collateral valued through an internal helper returning the
// spot ratio, then used in the borrow limit check.
contract SpotLending {
    IPair public pair;
    IToken public asset;
    mapping(address => uint256) public collateralOf;
    mapping(address => uint256) public debtOf;

    function _spot() internal view returns (uint256) {
        (uint112 r0, uint112 r1,) = pair.getReserves(); // want "getReserves"
        return uint256(r1) * 1e18 / r0;
    }

    function borrow(uint256 amount) external {
        uint256 p = _spot();
        debtOf[msg.sender] += amount;
        require(debtOf[msg.sender] <= collateralOf[msg.sender] * p / 1e18 * 75 / 100, "limit");
        asset.transfer(msg.sender, amount);
    }
}

// Positive: Uniswap V3 slot0 price used for collateral value.
contract SlotZeroValuer {
    IV3Pool public pool;
    mapping(address => uint256) public collateral;

    function collateralValue(address user) public view returns (uint256) {
        (uint160 sqrtPriceX96,,,,,,) = pool.slot0(); // want "slot0"
        uint256 priceX96 = uint256(sqrtPriceX96) * sqrtPriceX96 >> 96;
        return collateral[user] * priceX96 >> 96;
    }
}

// Positive: Curve virtual price values LP collateral, and pool balances
// price shares.
contract CurveLpValuer {
    ICurve public curve;
    IToken public usdc;
    IToken public weth;
    address public pool;
    mapping(address => uint256) public lpOf;

    function lpCollateral(address user) external view returns (uint256 valueUsd) {
        valueUsd = lpOf[user] * curve.get_virtual_price() / 1e18; // want "get_virtual_price"
    }

    function sharePrice() external view returns (uint256) {
        return usdc.balanceOf(pool) * 1e18 / weth.balanceOf(pool); // want "balanceOf\\(pool\\)" "balanceOf\\(pool\\)"
    }
}
