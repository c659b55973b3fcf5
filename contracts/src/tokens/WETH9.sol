// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IWETH} from "../interfaces/IWETH.sol";

/// @title WETH9
/// @notice Wrapped ether with the semantics of the canonical WETH9: deposit
/// ETH to mint 1:1, withdraw to burn and receive ETH. Plain ETH transfers
/// deposit.
contract WETH9 is IWETH {
    /// @notice "Wrapped Ether".
    string public constant name = "Wrapped Ether";
    /// @notice "WETH".
    string public constant symbol = "WETH";
    /// @notice 18.
    uint8 public constant decimals = 18;

    /// @notice WETH balance of each account.
    mapping(address => uint256) public balanceOf;
    /// @notice Remaining amount a spender may move on an owner's behalf.
    mapping(address => mapping(address => uint256)) public allowance;

    /// @notice The balance is too low.
    error InsufficientBalance(address from, uint256 balance, uint256 needed);
    /// @notice The allowance is too low.
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// @notice Sending ETH on withdraw failed.
    error ETHTransferFailed();

    receive() external payable {
        deposit();
    }

    /// @notice Wraps msg.value ETH into WETH for the caller.
    function deposit() public payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposit(msg.sender, msg.value);
    }

    /// @notice Unwraps `wad` WETH and sends the ETH to the caller.
    function withdraw(uint256 wad) external {
        uint256 bal = balanceOf[msg.sender];
        if (bal < wad) revert InsufficientBalance(msg.sender, bal, wad);
        unchecked {
            balanceOf[msg.sender] = bal - wad;
        }
        emit Withdrawal(msg.sender, wad);
        (bool ok,) = msg.sender.call{value: wad}("");
        if (!ok) revert ETHTransferFailed();
    }

    /// @notice Total WETH, equal to the ETH this contract holds.
    function totalSupply() external view returns (uint256) {
        return address(this).balance;
    }

    /// @notice Lets `guy` move up to `wad` of the caller's WETH.
    function approve(address guy, uint256 wad) external returns (bool) {
        allowance[msg.sender][guy] = wad;
        emit Approval(msg.sender, guy, wad);
        return true;
    }

    /// @notice Moves `wad` WETH from the caller to `dst`.
    function transfer(address dst, uint256 wad) external returns (bool) {
        return transferFrom(msg.sender, dst, wad);
    }

    /// @notice Moves `wad` WETH from `src` to `dst`, spending allowance when src is not the caller.
    function transferFrom(address src, address dst, uint256 wad) public returns (bool) {
        uint256 bal = balanceOf[src];
        if (bal < wad) revert InsufficientBalance(src, bal, wad);
        if (src != msg.sender) {
            uint256 allowed = allowance[src][msg.sender];
            if (allowed != type(uint256).max) {
                if (allowed < wad) revert InsufficientAllowance(msg.sender, allowed, wad);
                allowance[src][msg.sender] = allowed - wad;
            }
        }
        unchecked {
            balanceOf[src] = bal - wad;
        }
        balanceOf[dst] += wad;
        emit Transfer(src, dst, wad);
        return true;
    }
}
