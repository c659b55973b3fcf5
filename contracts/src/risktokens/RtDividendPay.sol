// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

interface IRtDividendTracker {
    function setBalance(address account, uint256 newBalance) external;
}

/// @title RtDividendPay
/// @notice Dividend token: every transfer reports balances to an external
/// tracker the owner can replace (an external call inside transfer).
contract RtDividendPay is RtERC20Lite, RtOwnable {
    IRtDividendTracker public dividendTracker;

    constructor(address tracker) RtERC20Lite("Dividend Pay", "DIVP", 18) {
        dividendTracker = IRtDividendTracker(tracker);
        _mint(msg.sender, 40_000_000 ether);
    }

    function updateDividendTracker(address t) external onlyOwner {
        dividendTracker = IRtDividendTracker(t);
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        super._transfer(from, to, amount);
        try dividendTracker.setBalance(from, balanceOf(from)) {} catch {}
        try dividendTracker.setBalance(to, balanceOf(to)) {} catch {}
    }
}

/// @title RtRewardTracker
/// @notice The dividend tracker RtDividendPay reports to (records balances).
contract RtRewardTracker is IRtDividendTracker {
    mapping(address => mapping(address => uint256)) public shares;

    function setBalance(address account, uint256 newBalance) external {
        shares[msg.sender][account] = newBalance;
    }
}
