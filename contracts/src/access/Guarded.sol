// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "./Ownable.sol";

/// @title Guarded
/// @notice Base for every value-moving protocol in the testbed: an owner, a
/// guardian (the Aegis guard's hot key) and a pause switch. The guardian and
/// the owner can pause and unpause; only the owner can change the guardian.
/// Value-moving entry points carry `whenNotPaused`.
abstract contract Guarded is Ownable {
    /// @notice The account allowed to pause and unpause besides the owner.
    address public guardian;
    /// @notice True while value-moving functions are disabled.
    bool public paused;

    /// @notice Emitted when `account` pauses the contract.
    event Paused(address account);
    /// @notice Emitted when `account` unpauses the contract.
    event Unpaused(address account);
    /// @notice Emitted when the guardian changes.
    event GuardianChanged(address indexed previousGuardian, address indexed newGuardian);

    /// @notice The caller is neither the guardian nor the owner.
    error NotGuardianOrOwner(address caller);
    /// @notice The contract is paused.
    error EnforcedPause();
    /// @notice The contract is not paused.
    error ExpectedPause();

    /// @param initialGuardian The first guardian (may be zero: owner-only pausing).
    constructor(address initialGuardian) {
        guardian = initialGuardian;
        emit GuardianChanged(address(0), initialGuardian);
    }

    modifier whenNotPaused() {
        if (paused) revert EnforcedPause();
        _;
    }

    modifier whenPaused() {
        if (!paused) revert ExpectedPause();
        _;
    }

    modifier onlyGuardianOrOwner() {
        if (msg.sender != guardian && msg.sender != owner) revert NotGuardianOrOwner(msg.sender);
        _;
    }

    /// @notice Disables every `whenNotPaused` function.
    function pause() external onlyGuardianOrOwner whenNotPaused {
        paused = true;
        emit Paused(msg.sender);
    }

    /// @notice Re-enables `whenNotPaused` functions.
    function unpause() external onlyGuardianOrOwner whenPaused {
        paused = false;
        emit Unpaused(msg.sender);
    }

    /// @notice Replaces the guardian.
    /// @param newGuardian The new guardian (zero removes the role).
    function setGuardian(address newGuardian) external onlyOwner {
        emit GuardianChanged(guardian, newGuardian);
        guardian = newGuardian;
    }
}
