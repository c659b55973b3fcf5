// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {WalletStorage} from "./WalletStorage.sol";

/// @title WalletLibraryBase
/// @notice Multisig logic shared by the wallet libraries: owner set,
/// confirmations, execution and kill. It always runs in the storage of a
/// MultisigWallet through delegatecall. The variants differ only in how
/// `initWallet` is protected.
abstract contract WalletLibraryBase is WalletStorage {
    /// @notice Emitted when an owner confirms an operation.
    event Confirmation(address indexed owner, bytes32 indexed operation);
    /// @notice Emitted when the wallet makes a call.
    event Executed(address indexed owner, address indexed to, uint256 value, bytes32 operation);
    /// @notice Emitted when the owner set is (re)initialized.
    event OwnersInitialized(address indexed by, uint256 numOwners, uint256 required);
    /// @notice Emitted when the wallet is killed and its balance swept.
    event Killed(address indexed to, uint256 value);

    /// @notice The caller is not a wallet owner.
    error NotWalletOwner(address caller);
    /// @notice Invalid owner set.
    error InvalidOwners(uint256 numOwners, uint256 required);
    /// @notice The wallet was killed.
    error WalletKilled();
    /// @notice The wallet's call failed.
    error ExecutionFailed(bytes reason);
    /// @notice Unknown operation.
    error UnknownOperation(bytes32 operation);

    modifier onlyWalletOwner() {
        if (m_ownerIndex[msg.sender] == 0) revert NotWalletOwner(msg.sender);
        _;
    }

    modifier notKilled() {
        if (killed) revert WalletKilled();
        _;
    }

    /// @notice Sets the owners and the confirmations required.
    function initWallet(address[] calldata owners, uint256 required) external virtual;

    /// @notice Proposes (and, with enough confirmations, makes) a call from
    /// the wallet. With `m_required == 1` it executes at once.
    /// @return operation The operation hash (zero when executed at once).
    function execute(address to, uint256 value, bytes calldata data)
        external
        whenNotPaused
        notKilled
        onlyWalletOwner
        returns (bytes32 operation)
    {
        if (m_required <= 1) {
            _call(to, value, data, bytes32(0));
            return bytes32(0);
        }
        operation = keccak256(abi.encode(to, value, data, m_nonce++));
        m_txs[operation] = Transaction({to: to, value: value, data: data});
        if (_confirmAndCheck(operation)) _runPending(operation);
    }

    /// @notice Confirms a pending operation; runs it at the last confirmation.
    /// @return done Whether the operation ran.
    function confirm(bytes32 operation) external whenNotPaused notKilled onlyWalletOwner returns (bool done) {
        if (m_txs[operation].to == address(0)) revert UnknownOperation(operation);
        done = _confirmAndCheck(operation);
        if (done) _runPending(operation);
    }

    /// @notice Kills the wallet and sweeps its whole balance to `to`, once
    /// the required owners agree (Parity's `kill`, without selfdestruct).
    function kill(address payable to) external whenNotPaused notKilled onlyWalletOwner {
        if (!_confirmAndCheck(keccak256(msg.data))) return;
        killed = true;
        uint256 value = address(this).balance;
        emit Killed(to, value);
        (bool ok, bytes memory ret) = to.call{value: value}("");
        if (!ok) revert ExecutionFailed(ret);
    }

    /// @notice Whether `account` is a wallet owner.
    function isOwner(address account) external view returns (bool) {
        return m_ownerIndex[account] != 0;
    }

    /// @notice The owner at 1-based `index`.
    function getOwner(uint256 index) external view returns (address) {
        return m_owners[index];
    }

    /// @dev Replaces the owner set. Clears the previous owners' indexes.
    function _initMultiowned(address[] calldata owners, uint256 required) internal {
        if (owners.length == 0 || owners.length > 250 || required == 0 || required > owners.length) {
            revert InvalidOwners(owners.length, required);
        }
        for (uint256 i = 1; i <= m_numOwners; i++) {
            delete m_ownerIndex[m_owners[i]];
            delete m_owners[i];
        }
        for (uint256 i = 0; i < owners.length; i++) {
            if (owners[i] == address(0) || m_ownerIndex[owners[i]] != 0) {
                revert InvalidOwners(owners.length, required);
            }
            m_owners[i + 1] = owners[i];
            m_ownerIndex[owners[i]] = i + 1;
        }
        m_numOwners = owners.length;
        m_required = required;
        emit OwnersInitialized(msg.sender, owners.length, required);
    }

    /// @dev Records the caller's confirmation; true when it was the last one.
    function _confirmAndCheck(bytes32 operation) internal returns (bool) {
        uint256 bit = 1 << m_ownerIndex[msg.sender];
        PendingState storage p = m_pending[operation];
        if (p.yetNeeded == 0) {
            p.yetNeeded = m_required;
            p.ownersDone = 0;
        }
        if (p.ownersDone & bit != 0) return false;
        emit Confirmation(msg.sender, operation);
        if (p.yetNeeded <= 1) {
            delete m_pending[operation];
            return true;
        }
        p.yetNeeded -= 1;
        p.ownersDone |= bit;
        return false;
    }

    function _runPending(bytes32 operation) private {
        Transaction memory t = m_txs[operation];
        delete m_txs[operation];
        _call(t.to, t.value, t.data, operation);
    }

    function _call(address to, uint256 value, bytes memory data, bytes32 operation) private {
        emit Executed(msg.sender, to, value, operation);
        (bool ok, bytes memory ret) = to.call{value: value}(data);
        if (!ok) revert ExecutionFailed(ret);
    }
}
