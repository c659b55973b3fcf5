// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {WalletLibraryBase} from "./WalletLibraryBase.sol";

/// @title ParityWalletLibrary
/// @notice Wallet logic as shipped in Parity's multisig of 2017.
/// @dev VULNERABLE: `initWallet` has no "only uninitialized" guard. Reached
/// through a wallet's forwarding fallback, it lets anyone replace the owner
/// set of a live wallet and then `execute` or `kill` it (Parity, July 2017).
/// The library's own storage is also never initialized, so anyone can
/// become owner of the library itself (Parity, November 2017).
contract ParityWalletLibrary is WalletLibraryBase {
    constructor() Guarded(address(0)) {}

    /// @inheritdoc WalletLibraryBase
    /// @dev VULNERABLE: unprotected initializer, callable by anyone at any time.
    function initWallet(address[] calldata owners, uint256 required) external override whenNotPaused {
        _initMultiowned(owners, required);
        initialized = true;
    }
}
