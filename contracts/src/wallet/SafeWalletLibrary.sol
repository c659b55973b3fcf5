// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {WalletLibraryBase} from "./WalletLibraryBase.sol";

/// @title SafeWalletLibrary
/// @notice Wallet logic with the initializer fixed: `initWallet` runs at most
/// once per storage (the wallet's constructor uses that one time), and the
/// library disables it for its own storage at deployment, so neither a live
/// wallet nor the library itself can be re-initialized.
contract SafeWalletLibrary is WalletLibraryBase {
    /// @notice The wallet is already initialized.
    error AlreadyInitialized();

    constructor() Guarded(address(0)) {
        // Lock the library's own storage: it is never a wallet.
        initialized = true;
    }

    /// @inheritdoc WalletLibraryBase
    function initWallet(address[] calldata owners, uint256 required) external override whenNotPaused {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        _initMultiowned(owners, required);
    }
}
