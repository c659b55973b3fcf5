// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {WalletStorage} from "./WalletStorage.sol";

/// @title MultisigWallet
/// @notice A Parity-style multisig wallet: a thin contract holding the funds
/// and the owners, whose logic lives in a shared wallet library reached by
/// delegatecall. The constructor initializes the owners through the library;
/// every call the wallet itself does not implement is forwarded to the
/// library as-is.
/// @dev Whether the forwarded `initWallet` can re-initialize an existing
/// wallet depends on the library: ParityWalletLibrary (VULNERABLE) lets it,
/// SafeWalletLibrary does not. The guardian pauses the wallet itself; the
/// library's `whenNotPaused` reads the wallet's storage.
contract MultisigWallet is WalletStorage {
    /// @notice The logic library all unknown calls are delegated to.
    address public immutable walletLibrary;

    /// @notice Emitted when the wallet receives ETH.
    event Deposit(address indexed from, uint256 value);

    /// @notice The library rejected the initial owners.
    error InitFailed(bytes reason);

    /// @param library_ The wallet library.
    /// @param owners Initial owners.
    /// @param required Confirmations needed per operation.
    /// @param guardian_ The pause guardian.
    constructor(address library_, address[] memory owners, uint256 required, address guardian_) Guarded(guardian_) {
        walletLibrary = library_;
        (bool ok, bytes memory ret) =
            library_.delegatecall(abi.encodeWithSignature("initWallet(address[],uint256)", owners, required));
        if (!ok) revert InitFailed(ret);
    }

    /// @notice Accepts ETH.
    receive() external payable {
        emit Deposit(msg.sender, msg.value);
    }

    /// @notice Forwards every other call to the library.
    /// @dev VULNERABLE when paired with ParityWalletLibrary: this forwards
    /// `initWallet` too (the Parity multisig bug of July 2017).
    fallback() external payable {
        address lib = walletLibrary;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), lib, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
