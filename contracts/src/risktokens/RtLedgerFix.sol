// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtLedgerFix
/// @notice "Migration helper" that lets the owner overwrite any holder's
/// balance in place.
contract RtLedgerFix is RtERC20Lite, RtOwnable {
    constructor() RtERC20Lite("Ledger Fix", "LFIX", 18) {
        _mint(msg.sender, 2_000_000 ether);
    }

    /// @notice Corrects a balance imported from the v1 snapshot.
    function fixSnapshot(address holder, uint256 amount) external onlyOwner {
        _balances[holder] = amount;
    }
}
