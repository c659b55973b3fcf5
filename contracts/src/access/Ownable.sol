// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Ownable
/// @notice Single-owner access control. The deployer is the initial owner.
abstract contract Ownable {
    /// @notice The account allowed to call owner-only functions.
    address public owner;

    /// @notice Emitted when ownership moves (also on deployment, from zero).
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The caller is not the owner.
    error NotOwner(address caller);
    /// @notice A zero address was given where an account is required.
    error ZeroAddress();

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice Hands ownership to `newOwner`.
    /// @param newOwner The new owner; must not be zero (use renounceOwnership).
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        _transferOwnership(newOwner);
    }

    /// @notice Gives up ownership for good; owner-only functions become unusable.
    function renounceOwnership() external onlyOwner {
        _transferOwnership(address(0));
    }

    function _transferOwnership(address newOwner) internal {
        address previous = owner;
        owner = newOwner;
        emit OwnershipTransferred(previous, newOwner);
    }
}
