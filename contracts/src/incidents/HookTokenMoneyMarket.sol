// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../tokens/ERC20.sol";
import {Guarded} from "../access/Guarded.sol";
import {ReentrancyGuard} from "../access/ReentrancyGuard.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title HookTokenSender
/// @notice ERC-777's `tokensToSend` hook, called on the holder's registered
/// implementer before its tokens move.
interface HookTokenSender {
    /// @notice Called before `amount` moves from `from` to `to`.
    function tokensToSend(address operator, address from, address to, uint256 amount) external;
}

/// @title HookToken777
/// @notice An ERC-20 with ERC-777 sender hooks (imBTC-style): each holder may
/// register an implementer (ERC-1820's role, kept in the token here) that is
/// called before any transfer out of its balance.
contract HookToken777 is ERC20 {
    /// @notice Registered `tokensToSend` implementers per holder.
    mapping(address => address) public senderHook;

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param supply Supply minted to the deployer.
    constructor(string memory name_, string memory symbol_, uint256 supply) ERC20(name_, symbol_, 18) {
        _mint(msg.sender, supply);
    }

    /// @notice Registers (or clears) the caller's sender hook.
    function setInterfaceImplementer(address implementer) external {
        senderHook[msg.sender] = implementer;
    }

    function _update(address from, address to, uint256 value) internal override {
        address hook = from == address(0) ? address(0) : senderHook[from];
        if (hook != address(0)) HookTokenSender(hook).tokensToSend(msg.sender, from, to, value);
        super._update(from, to, value);
    }
}

/// @title HookTokenMoneyMarket
/// @notice A Lendf.Me-style money market for an ERC-777 token. Re-creates
/// Lendf.Me / Uniswap V1 imBTC (Apr 2020): `supply` read the supplier's
/// balance, pulled the tokens (running the supplier's tokensToSend hook) and
/// then wrote the stale balance plus the amount, so withdrawing everything
/// inside the hook left the old balance credited again.
contract HookTokenMoneyMarket is Guarded, ReentrancyGuard {
    /// @notice The market's token.
    IERC20 public immutable token;
    /// @notice True for the fixed variant: nonReentrant, state after the pull.
    bool public immutable fixedOrder;
    /// @notice Supplied balance per account.
    mapping(address => uint256) public supplyBalance;

    /// @notice Emitted on supply.
    event SupplyReceived(address indexed account, uint256 amount, uint256 newBalance);
    /// @notice Emitted on withdraw.
    event SupplyWithdrawn(address indexed account, uint256 amount, uint256 newBalance);
    /// @notice The account's balance is too low.
    error InsufficientSupply(uint256 have, uint256 want);

    /// @param token_ The market's token.
    /// @param guardian_ The pause guardian.
    /// @param fixedOrder_ True for the fixed variant.
    constructor(IERC20 token_, address guardian_, bool fixedOrder_) Guarded(guardian_) {
        token = token_;
        fixedOrder = fixedOrder_;
    }

    /// @notice Supplies `amount`.
    function supply(uint256 amount) external whenNotPaused {
        if (fixedOrder) {
            _supplyFixed(amount);
            return;
        }
        uint256 bal = supplyBalance[msg.sender];
        // VULNERABLE: the token calls the supplier's hook here, before the
        // balance is written from the value read above.
        token.transferFrom(msg.sender, address(this), amount);
        supplyBalance[msg.sender] = bal + amount;
        emit SupplyReceived(msg.sender, amount, bal + amount);
    }

    function _supplyFixed(uint256 amount) internal nonReentrant {
        token.transferFrom(msg.sender, address(this), amount);
        supplyBalance[msg.sender] += amount;
        emit SupplyReceived(msg.sender, amount, supplyBalance[msg.sender]);
    }

    /// @notice Withdraws `amount`.
    function withdraw(uint256 amount) external whenNotPaused {
        if (fixedOrder) {
            _withdrawFixed(amount);
            return;
        }
        uint256 bal = supplyBalance[msg.sender];
        if (bal < amount) revert InsufficientSupply(bal, amount);
        supplyBalance[msg.sender] = bal - amount;
        token.transfer(msg.sender, amount);
        emit SupplyWithdrawn(msg.sender, amount, bal - amount);
    }

    function _withdrawFixed(uint256 amount) internal nonReentrant {
        uint256 bal = supplyBalance[msg.sender];
        if (bal < amount) revert InsufficientSupply(bal, amount);
        supplyBalance[msg.sender] = bal - amount;
        token.transfer(msg.sender, amount);
        emit SupplyWithdrawn(msg.sender, amount, bal - amount);
    }
}
