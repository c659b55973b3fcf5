// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";

/// @title WalletStorage
/// @notice Storage layout shared by the multisig wallet proxy and its logic
/// libraries. The wallet delegatecalls the library, so both must declare the
/// same state in the same order; inheriting this contract is how they agree.
/// @dev Add state only here, never in MultisigWallet or a library.
abstract contract WalletStorage is Guarded {
    /// @notice A multi-owner operation awaiting confirmations.
    struct PendingState {
        uint256 yetNeeded;
        uint256 ownersDone;
    }

    /// @notice A call waiting for confirmations.
    struct Transaction {
        address to;
        uint256 value;
        bytes data;
    }

    /// @notice Confirmations an operation needs.
    uint256 public m_required;
    /// @notice Number of wallet owners.
    uint256 public m_numOwners;
    /// @notice Whether initWallet has run (used by the safe library only).
    bool public initialized;
    /// @notice Set once the wallet was killed.
    bool public killed;
    /// @notice Counter making operation hashes unique.
    uint256 public m_nonce;
    /// @dev Owners by 1-based index.
    address[256] internal m_owners;
    /// @notice 1-based owner index by address (0: not an owner).
    mapping(address => uint256) public m_ownerIndex;
    /// @dev Confirmation state by operation hash.
    mapping(bytes32 => PendingState) internal m_pending;
    /// @dev Calls awaiting confirmation by operation hash.
    mapping(bytes32 => Transaction) internal m_txs;
}
