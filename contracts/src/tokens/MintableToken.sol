// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "./ERC20.sol";
import {Ownable} from "../access/Ownable.sol";

/// @title MintableToken
/// @notice An 18-decimal project token with the owner privileges seen in
/// real rug pulls: unlimited minting, a sell tax on transfers into AMM pairs
/// (up to 100%) and a switch that stops trading for everyone but the owner.
/// @dev VULNERABLE by design: every lever is owner-controlled with no
/// timelock or cap. Used by the testbed as an ordinary token and by the
/// rug-pull scenario as the rug.
contract MintableToken is ERC20, Ownable {
    /// @notice Sell tax in basis points, charged on transfers to an AMM pair.
    uint256 public sellTaxBps;
    /// @notice Where sell taxes go (the owner at deployment).
    address public taxRecipient;
    /// @notice When false, only the owner (and exempt accounts) can transfer.
    bool public tradingEnabled = true;
    /// @notice Transfers into these addresses count as sells.
    mapping(address => bool) public isAmmPair;
    /// @notice Accounts exempt from the tax and the trading switch.
    mapping(address => bool) public isExempt;

    /// @notice Emitted when the owner mints (in addition to Transfer from zero).
    event Minted(address indexed to, uint256 amount);
    /// @notice Emitted when the sell tax changes.
    event SellTaxChanged(uint256 previousBps, uint256 newBps);
    /// @notice Emitted when trading is switched on or off.
    event TradingEnabledChanged(bool enabled);
    /// @notice Emitted when an address is (un)marked as an AMM pair.
    event AmmPairSet(address indexed pair, bool isPair);
    /// @notice Emitted when an account's exemption changes.
    event ExemptSet(address indexed account, bool exempt);

    /// @notice Trading is disabled for this sender.
    error TradingDisabled(address from);
    /// @notice Tax above 100%.
    error TaxTooHigh(uint256 bps);

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param initialSupply Supply minted to the deployer.
    constructor(string memory name_, string memory symbol_, uint256 initialSupply) ERC20(name_, symbol_, 18) {
        taxRecipient = msg.sender;
        isExempt[msg.sender] = true;
        _mint(msg.sender, initialSupply);
    }

    /// @notice Mints `amount` new tokens to `to`.
    /// @dev VULNERABLE: unbounded owner mint (the "mint and dump" rug).
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
        emit Minted(to, amount);
    }

    /// @notice Sets the sell tax.
    /// @dev VULNERABLE: can be raised to 100% at any moment (the "honeypot" rug).
    function setSellTax(uint256 bps) external onlyOwner {
        if (bps > 10_000) revert TaxTooHigh(bps);
        emit SellTaxChanged(sellTaxBps, bps);
        sellTaxBps = bps;
    }

    /// @notice Sets the tax recipient.
    function setTaxRecipient(address recipient) external onlyOwner {
        if (recipient == address(0)) revert ZeroAddress();
        taxRecipient = recipient;
    }

    /// @notice Switches trading on or off for non-exempt accounts.
    /// @dev VULNERABLE: lets the owner trap every holder.
    function setTradingEnabled(bool enabled) external onlyOwner {
        tradingEnabled = enabled;
        emit TradingEnabledChanged(enabled);
    }

    /// @notice Marks `pair` as an AMM pair (transfers into it are sells).
    function setAmmPair(address pair, bool isPair) external onlyOwner {
        isAmmPair[pair] = isPair;
        emit AmmPairSet(pair, isPair);
    }

    /// @notice Exempts `account` from the tax and the trading switch.
    function setExempt(address account, bool exempt) external onlyOwner {
        isExempt[account] = exempt;
        emit ExemptSet(account, exempt);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0) || isExempt[from] || from == owner) {
            super._update(from, to, value);
            return;
        }
        if (!tradingEnabled) revert TradingDisabled(from);
        uint256 tax = isAmmPair[to] ? value * sellTaxBps / 10_000 : 0;
        if (tax > 0) super._update(from, taxRecipient, tax);
        super._update(from, to, value - tax);
    }
}
