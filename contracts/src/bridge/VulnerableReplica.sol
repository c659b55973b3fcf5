// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicaBase} from "./ReplicaBase.sol";

/// @title VulnerableReplica
/// @notice Nomad's Replica as upgraded in 2022: `initialize` marks its root
/// as confirmed, and the upgrade passed the zero root.
/// @dev VULNERABLE: `initialize(0)` sets `confirmAt[0] = 1`; since every
/// never-proven message has `messages[hash] == 0`, `acceptableRoot(0)` makes
/// any forged message processable. Copying a working exploit transaction and
/// swapping in one's own address is all it takes (Nomad, August 2022).
contract VulnerableReplica is ReplicaBase {
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
    /// @dev VULNERABLE: accepts the zero root and confirms it.
    function initialize(bytes32 committedRoot_) external override onlyOwner {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        committedRoot = committedRoot_;
        confirmAt[committedRoot_] = 1;
    }

    /// @inheritdoc ReplicaBase
    /// @dev VULNERABLE: does not exclude the zero root.
    function acceptableRoot(bytes32 root) public view override returns (bool) {
        if (root == LEGACY_STATUS_PROVEN) return true;
        if (root == LEGACY_STATUS_PROCESSED) return false;
        uint256 at = confirmAt[root];
        if (at == 0) return false;
        return block.timestamp >= at;
    }
}
