// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {ReentrancyGuard} from "../access/ReentrancyGuard.sol";

/// @title SafeBank
/// @notice The fixed counterpart of VulnerableBank: same interface, but every
/// withdrawal follows checks-effects-interactions and every state-changing
/// entry point shares one reentrancy lock, so neither same-function nor
/// cross-function reentrancy can observe a stale balance.
contract SafeBank is Guarded, ReentrancyGuard {
    /// @notice Ether credited to each account.
    mapping(address => uint256) public balanceOf;
    /// @notice Sum of all credited balances.
    uint256 public totalDeposits;

    /// @notice Emitted on every deposit.
    event Deposited(address indexed account, uint256 amount);
    /// @notice Emitted on every withdrawal.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice Emitted when a balance moves between accounts.
    event Transferred(address indexed from, address indexed to, uint256 amount);

    /// @notice The account's balance is below the requested amount.
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    /// @notice Sending ether to the account failed.
    error ETHTransferFailed(address to, uint256 amount);
    /// @notice A zero amount was given.
    error ZeroAmount();

    /// @param guardian_ The pause guardian.
    constructor(address guardian_) Guarded(guardian_) {}

    /// @notice Credits msg.value to the caller.
    function deposit() external payable whenNotPaused nonReentrant {
        if (msg.value == 0) revert ZeroAmount();
        balanceOf[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Sends `amount` of the caller's balance to the caller.
    /// @param amount Wei to withdraw.
    function withdraw(uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _withdraw(amount);
    }

    /// @notice Sends the caller's whole balance to the caller.
    function withdrawAll() external whenNotPaused nonReentrant {
        uint256 bal = balanceOf[msg.sender];
        if (bal == 0) revert ZeroAmount();
        _withdraw(bal);
    }

    /// @notice Moves `amount` of the caller's balance to `to`.
    /// @param to The account credited.
    /// @param amount Wei moved.
    function transfer(address to, uint256 amount) external whenNotPaused nonReentrant {
        uint256 bal = balanceOf[msg.sender];
        if (bal < amount) revert InsufficientBalance(msg.sender, bal, amount);
        balanceOf[msg.sender] = bal - amount;
        balanceOf[to] += amount;
        emit Transferred(msg.sender, to, amount);
    }

    /// @dev Checks, then effects, then the interaction.
    function _withdraw(uint256 amount) private {
        uint256 bal = balanceOf[msg.sender];
        if (bal < amount) revert InsufficientBalance(msg.sender, bal, amount);
        balanceOf[msg.sender] = bal - amount;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert ETHTransferFailed(msg.sender, amount);
    }
}
