// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Metadata} from "../interfaces/IERC20Metadata.sol";

/// @title ERC20
/// @notice Standard ERC-20 base. Every balance change goes through the
/// virtual `_update`, which derived tokens override for fees, taxes or
/// trading switches. An allowance of type(uint256).max is never decreased.
abstract contract ERC20 is IERC20Metadata {
    /// @inheritdoc IERC20Metadata
    string public name;
    /// @inheritdoc IERC20Metadata
    string public symbol;
    /// @inheritdoc IERC20Metadata
    uint8 public immutable decimals;
    /// @notice Total tokens in existence.
    uint256 public totalSupply;
    /// @notice Token balance of each account.
    mapping(address => uint256) public balanceOf;
    /// @notice Remaining amount a spender may move on an owner's behalf.
    mapping(address => mapping(address => uint256)) public allowance;

    /// @notice The sender's balance is too low.
    error InsufficientBalance(address from, uint256 balance, uint256 needed);
    /// @notice The spender's allowance is too low.
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// @notice Transfer to or from the zero address.
    error InvalidAccount(address account);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    /// @notice Moves `value` tokens from the caller to `to`.
    function transfer(address to, uint256 value) public virtual returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    /// @notice Lets `spender` move up to `value` of the caller's tokens.
    function approve(address spender, uint256 value) public virtual returns (bool) {
        if (spender == address(0)) revert InvalidAccount(spender);
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    /// @notice Moves `value` tokens from `from` to `to` using the caller's allowance.
    function transferFrom(address from, address to, uint256 value) public virtual returns (bool) {
        _spendAllowance(from, msg.sender, value);
        _transfer(from, to, value);
        return true;
    }

    function _spendAllowance(address from, address spender, uint256 value) internal {
        uint256 allowed = allowance[from][spender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(spender, allowed, value);
            unchecked {
                allowance[from][spender] = allowed - value;
            }
        }
    }

    function _transfer(address from, address to, uint256 value) internal {
        if (from == address(0)) revert InvalidAccount(from);
        if (to == address(0)) revert InvalidAccount(to);
        _update(from, to, value);
    }

    function _mint(address to, uint256 value) internal {
        if (to == address(0)) revert InvalidAccount(to);
        _update(address(0), to, value);
    }

    function _burn(address from, uint256 value) internal {
        if (from == address(0)) revert InvalidAccount(from);
        _update(from, address(0), value);
    }

    /// @dev Moves `value` from `from` to `to`; zero `from` mints, zero `to` burns.
    function _update(address from, address to, uint256 value) internal virtual {
        if (from == address(0)) {
            totalSupply += value;
        } else {
            uint256 bal = balanceOf[from];
            if (bal < value) revert InsufficientBalance(from, bal, value);
            unchecked {
                balanceOf[from] = bal - value;
            }
        }
        if (to == address(0)) {
            unchecked {
                totalSupply -= value;
            }
        } else {
            unchecked {
                balanceOf[to] += value;
            }
        }
        emit Transfer(from, to, value);
    }
}
