// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RiskFxBase} from "./RiskFxBase.sol";

/// @title RiskFxStableToken
/// @notice Risk fixture modelled on a fiat stablecoin: minters, a pauser
/// and a blacklister (each rotatable by the owner), no fee.
contract RiskFxStableToken is RiskFxBase {
    address public owner;
    address public pauser;
    address public blacklister;
    bool public paused;
    mapping(address => bool) public minters;
    mapping(address => bool) public isBlacklisted;

    /// @param admin Owner, pauser and blacklister (a multisig in practice).
    constructor(address admin) {
        owner = admin;
        pauser = admin;
        blacklister = admin;
    }

    /// @notice Rotates the pauser.
    function updatePauser(address a) external {
        require(msg.sender == owner, "owner");
        pauser = a;
    }

    /// @notice Rotates the blacklister.
    function updateBlacklister(address a) external {
        require(msg.sender == owner, "owner");
        blacklister = a;
    }

    /// @notice Enables or disables a minter.
    function configureMinter(address m, bool on) external {
        require(msg.sender == owner, "owner");
        minters[m] = on;
    }

    /// @notice Transfers ownership.
    function transferOwnership(address a) external {
        require(msg.sender == owner, "owner");
        owner = a;
    }

    /// @notice Mints.
    function mint(address to, uint256 amount) external {
        require(minters[msg.sender], "minter");
        require(!paused, "paused");
        _mintTo(to, amount);
    }

    /// @notice Pauses.
    function pause() external {
        require(msg.sender == pauser, "pauser");
        paused = true;
    }

    /// @notice Unpauses.
    function unpause() external {
        require(msg.sender == pauser, "pauser");
        paused = false;
    }

    /// @notice Blacklists.
    function blacklist(address a) external {
        require(msg.sender == blacklister, "blacklister");
        isBlacklisted[a] = true;
    }

    /// @notice Removes from the blacklist.
    function unBlacklist(address a) external {
        require(msg.sender == blacklister, "blacklister");
        isBlacklisted[a] = false;
    }

    /// @notice ERC-20 transfer.
    function transfer(address to, uint256 amount) external returns (bool) {
        _check(msg.sender, to);
        _move(msg.sender, to, amount);
        return true;
    }

    /// @notice ERC-20 transferFrom.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _check(from, to);
        _spend(from, amount);
        _move(from, to, amount);
        return true;
    }

    function _check(address from, address to) internal view {
        require(!paused, "paused");
        require(!isBlacklisted[from], "blacklisted");
        require(!isBlacklisted[to], "blacklisted");
    }
}
