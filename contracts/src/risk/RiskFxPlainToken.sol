// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RiskFxBase} from "./RiskFxBase.sol";

/// @title RiskFxPlainToken
/// @notice Risk fixture: fixed supply, no owner, no fee, no restriction.
contract RiskFxPlainToken is RiskFxBase {
    /// @param supply Minted to the deployer.
    constructor(uint256 supply) {
        _mintTo(msg.sender, supply);
    }

    /// @notice ERC-20 transfer.
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    /// @notice ERC-20 transferFrom.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _spend(from, amount);
        _move(from, to, amount);
        return true;
    }
}
