// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "./ERC20.sol";
import {Ownable} from "../access/Ownable.sol";

/// @title FeeOnTransferToken
/// @notice An 18-decimal token that takes a fee on every transfer, burned
/// when the treasury is zero and sent to the treasury otherwise. Protocols
/// that assume "amount sent == amount received" mis-account it.
contract FeeOnTransferToken is ERC20, Ownable {
    /// @notice Maximum fee: 10%.
    uint256 public constant MAX_FEE_BPS = 1_000;
    /// @notice Transfer fee in basis points.
    uint256 public feeBps;
    /// @notice Fee recipient; zero burns the fee.
    address public treasury;
    /// @notice Accounts that neither pay nor trigger the fee.
    mapping(address => bool) public isExempt;

    /// @notice Emitted when the fee or treasury changes.
    event FeeChanged(uint256 feeBps, address treasury);
    /// @notice Emitted when an account's exemption changes.
    event ExemptSet(address indexed account, bool exempt);

    /// @notice Fee above MAX_FEE_BPS.
    error FeeTooHigh(uint256 bps);

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param supply Supply minted to the deployer.
    /// @param feeBps_ Transfer fee in basis points (at most 1000).
    /// @param treasury_ Fee recipient; zero burns the fee.
    constructor(string memory name_, string memory symbol_, uint256 supply, uint256 feeBps_, address treasury_)
        ERC20(name_, symbol_, 18)
    {
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_);
        feeBps = feeBps_;
        treasury = treasury_;
        _mint(msg.sender, supply);
        emit FeeChanged(feeBps_, treasury_);
    }

    /// @notice Sets the fee and treasury.
    function setFee(uint256 feeBps_, address treasury_) external onlyOwner {
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_);
        feeBps = feeBps_;
        treasury = treasury_;
        emit FeeChanged(feeBps_, treasury_);
    }

    /// @notice Exempts `account` from the fee.
    function setExempt(address account, bool exempt) external onlyOwner {
        isExempt[account] = exempt;
        emit ExemptSet(account, exempt);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0) || isExempt[from] || isExempt[to] || feeBps == 0) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * feeBps / 10_000;
        // A zero treasury burns the fee: _update to address(0) reduces supply.
        super._update(from, treasury, fee);
        super._update(from, to, value - fee);
    }
}
