// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicaBase} from "./ReplicaBase.sol";

/// @title SafeReplica
/// @notice The fixed Replica: the zero root is never confirmed nor
/// acceptable, so a message releases funds only after `prove` recorded the
/// committed root it belongs to. A faulty `initialize(0)` is harmless.
contract SafeReplica is ReplicaBase {
    /// @param localDomain_ This chain's domain id.
    /// @param remoteDomain_ The remote chain's domain id.
    /// @param remoteRouter_ The trusted sender on the remote chain.
    /// @param updater_ The root updater.
    /// @param optimisticSeconds_ Fraud window of a committed root.
    /// @param guardian_ The pause guardian.
    constructor(
        uint32 localDomain_,
        uint32 remoteDomain_,
        bytes32 remoteRouter_,
        address updater_,
        uint256 optimisticSeconds_,
        address guardian_
    ) ReplicaBase(localDomain_, remoteDomain_, remoteRouter_, updater_, optimisticSeconds_, guardian_) {}

    /// @inheritdoc ReplicaBase
    /// @dev A zero root is recorded as the committed root but never confirmed.
    function initialize(bytes32 committedRoot_) external override onlyOwner {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        committedRoot = committedRoot_;
        if (committedRoot_ != bytes32(0)) confirmAt[committedRoot_] = 1;
    }

    /// @inheritdoc ReplicaBase
    function acceptableRoot(bytes32 root) public view override returns (bool) {
        // The zero root is what every unproven message maps to.
        if (root == bytes32(0)) return false;
        if (root == LEGACY_STATUS_PROVEN) return true;
        if (root == LEGACY_STATUS_PROCESSED) return false;
        uint256 at = confirmAt[root];
        if (at == 0) return false;
        return block.timestamp >= at;
    }
}
