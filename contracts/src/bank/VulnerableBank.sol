// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";

/// @title VulnerableBank
/// @notice An ETH bank: accounts deposit ether, move balances between each
/// other and withdraw. It pays out before it books the withdrawal, the
/// pattern behind The DAO (2016) and, through a second entry point, Rari
/// Capital (2022).
/// @dev VULNERABLE: `withdraw` and `withdrawAll` send ETH with a raw call
/// (forwarding all gas to the receiver) before updating `balanceOf`, and no
/// function is protected against reentrancy. A receiver can re-enter
/// `withdraw` (same-function reentrancy) or `transfer` (cross-function
/// reentrancy) while its stale balance is still on the books.
contract VulnerableBank is Guarded {
    /// @notice Ether credited to each account.
    mapping(address => uint256) public balanceOf;
    /// @notice Sum of all credited balances (bookkeeping only).
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
    function deposit() external payable whenNotPaused {
        if (msg.value == 0) revert ZeroAmount();
        balanceOf[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Sends `amount` of the caller's balance to the caller.
    /// @dev VULNERABLE: interaction before effect. The balance check passes on
    /// every re-entrant call because the debit happens after the external
    /// call; the unchecked debit then silently wraps.
    /// @param amount Wei to withdraw.
    function withdraw(uint256 amount) external whenNotPaused {
        uint256 bal = balanceOf[msg.sender];
        if (amount == 0) revert ZeroAmount();
        if (bal < amount) revert InsufficientBalance(msg.sender, bal, amount);
        // VULNERABLE: external call (all gas forwarded) before the state update.
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert ETHTransferFailed(msg.sender, amount);
        // VULNERABLE: "the check above makes this safe" -- not after reentrancy.
        unchecked {
            balanceOf[msg.sender] -= amount;
            totalDeposits -= amount;
        }
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Sends the caller's whole balance to the caller.
    /// @dev VULNERABLE: the balance is zeroed only after the call, so during
    /// the call it can be re-withdrawn or moved with `transfer`.
    function withdrawAll() external whenNotPaused {
        uint256 bal = balanceOf[msg.sender];
        if (bal == 0) revert ZeroAmount();
        // VULNERABLE: external call before the state update.
        (bool ok,) = msg.sender.call{value: bal}("");
        if (!ok) revert ETHTransferFailed(msg.sender, bal);
        balanceOf[msg.sender] = 0;
        unchecked {
            totalDeposits -= bal;
        }
        emit Withdrawn(msg.sender, bal);
    }

    /// @notice Moves `amount` of the caller's balance to `to`.
    /// @dev VULNERABLE (cross-function): callable while `withdrawAll` of the
    /// same account is mid-flight, duplicating the balance being withdrawn.
    /// @param to The account credited.
    /// @param amount Wei moved.
    function transfer(address to, uint256 amount) external whenNotPaused {
        uint256 bal = balanceOf[msg.sender];
        if (bal < amount) revert InsufficientBalance(msg.sender, bal, amount);
        balanceOf[msg.sender] = bal - amount;
        balanceOf[to] += amount;
        emit Transferred(msg.sender, to, amount);
    }
}
