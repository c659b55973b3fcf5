// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {SafeTransfer} from "../tokens/SafeTransfer.sol";

/// @title LiquidityLocker
/// @notice Time-locks tokens (typically AMM LP tokens) so a project team
/// cannot pull liquidity before `unlockTime`: the standard mitigation
/// against liquidity rug pulls. Locks cannot be shortened or cancelled.
contract LiquidityLocker {
    using SafeTransfer for IERC20;

    /// @notice One lock.
    struct Lock {
        address token;
        address beneficiary;
        uint256 amount;
        uint64 unlockTime;
        bool withdrawn;
    }

    /// @notice All locks, by id.
    Lock[] public locks;

    /// @notice Emitted when tokens are locked.
    event Locked(uint256 indexed id, address indexed token, address indexed beneficiary, uint256 amount, uint64 unlockTime);
    /// @notice Emitted when a lock is released.
    event Unlocked(uint256 indexed id, address indexed beneficiary, uint256 amount);

    error ZeroAmount();
    error UnlockInPast(uint64 unlockTime);
    error StillLocked(uint256 id, uint64 unlockTime);
    error NotBeneficiary(uint256 id, address caller);
    error AlreadyWithdrawn(uint256 id);

    /// @notice Locks `amount` of `token` from the caller until `unlockTime`.
    /// @return id The lock id.
    function lock(address token, uint256 amount, address beneficiary, uint64 unlockTime) external returns (uint256 id) {
        if (amount == 0) revert ZeroAmount();
        if (unlockTime <= block.timestamp) revert UnlockInPast(unlockTime);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        id = locks.length;
        locks.push(Lock(token, beneficiary, amount, unlockTime, false));
        emit Locked(id, token, beneficiary, amount, unlockTime);
    }

    /// @notice Releases lock `id` to its beneficiary once it has expired.
    function withdraw(uint256 id) external {
        Lock storage l = locks[id];
        if (msg.sender != l.beneficiary) revert NotBeneficiary(id, msg.sender);
        if (l.withdrawn) revert AlreadyWithdrawn(id);
        if (block.timestamp < l.unlockTime) revert StillLocked(id, l.unlockTime);
        l.withdrawn = true;
        IERC20(l.token).safeTransfer(l.beneficiary, l.amount);
        emit Unlocked(id, l.beneficiary, l.amount);
    }

    /// @notice The number of locks ever created.
    function locksLength() external view returns (uint256) {
        return locks.length;
    }
}
