// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {SafeTransfer} from "../tokens/SafeTransfer.sol";

/// @title ReplicaBase
/// @notice A Nomad-style optimistic bridge endpoint that is also the token
/// escrow. Outbound, users lock tokens with `send`, which emits a message for
/// the remote chain. Inbound, an updater commits Merkle roots of the remote
/// chain's message tree; after an optimistic window a root is acceptable, a
/// message is proven against it with `prove`, and `process` releases the
/// escrowed tokens the message asks for.
/// @dev Message layout (packed): originDomain uint32 | sender bytes32 |
/// nonce uint32 | destinationDomain uint32 | recipient bytes32 | body, where
/// body = abi.encode(token, to, amount). The variants differ in
/// `acceptableRoot` and in how `initialize` treats its root.
abstract contract ReplicaBase is Guarded {
    using SafeTransfer for IERC20;

    /// @notice Depth of the remote message tree.
    uint256 public constant TREE_DEPTH = 32;
    /// @notice `messages` value of a message proven before the upgrade.
    bytes32 public constant LEGACY_STATUS_PROVEN = bytes32(uint256(1));
    /// @notice `messages` value of a processed message.
    bytes32 public constant LEGACY_STATUS_PROCESSED = bytes32(uint256(2));

    /// @notice This chain's domain.
    uint32 public immutable localDomain;
    /// @notice The remote chain's domain.
    uint32 public immutable remoteDomain;
    /// @notice The bridge router on the remote chain; only its messages release funds.
    bytes32 public immutable remoteRouter;
    /// @notice Seconds before a committed root becomes acceptable.
    uint256 public immutable optimisticSeconds;

    /// @notice The account allowed to commit new roots.
    address public updater;
    /// @notice The latest committed root.
    bytes32 public committedRoot;
    /// @notice Time from which a root is acceptable (0: unknown root).
    mapping(bytes32 => uint256) public confirmAt;
    /// @notice Root each message was proven against, or a legacy status.
    mapping(bytes32 => bytes32) public messages;
    /// @notice Whether initialize has run.
    bool public initialized;
    /// @notice Outbound message counter.
    uint32 public outboundNonce;

    /// @notice Emitted when a root is committed.
    event Update(bytes32 indexed oldRoot, bytes32 indexed newRoot, uint256 confirmAt);
    /// @notice Emitted when tokens are locked for the remote chain.
    event Dispatch(bytes32 indexed messageHash, uint32 indexed nonce, bytes message);
    /// @notice Emitted when a message is processed and tokens released.
    event Process(bytes32 indexed messageHash, address indexed token, address indexed to, uint256 amount);

    /// @notice initialize already ran.
    error AlreadyInitialized();
    /// @notice The caller is not the updater.
    error NotUpdater(address caller);
    /// @notice The message's root is not acceptable.
    error NotProven(bytes32 messageHash, bytes32 root);
    /// @notice The message is not for this chain or not from the remote router.
    error WrongMessage(bytes32 messageHash);
    /// @notice A message can only be proven once.
    error AlreadyProven(bytes32 messageHash);
    /// @notice The message is too short.
    error Malformed();
    /// @notice A zero amount was given.
    error ZeroAmount();

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
    ) Guarded(guardian_) {
        localDomain = localDomain_;
        remoteDomain = remoteDomain_;
        remoteRouter = remoteRouter_;
        updater = updater_;
        optimisticSeconds = optimisticSeconds_;
    }

    /// @notice Post-upgrade initializer: trusts `committedRoot_` as already
    /// confirmed.
    function initialize(bytes32 committedRoot_) external virtual;

    /// @notice Whether messages proven against `root` may be processed now.
    function acceptableRoot(bytes32 root) public view virtual returns (bool);

    /// @notice Commits a new root of the remote message tree.
    function update(bytes32 newRoot) external {
        if (msg.sender != updater) revert NotUpdater(msg.sender);
        uint256 at = block.timestamp + optimisticSeconds;
        confirmAt[newRoot] = at;
        emit Update(committedRoot, newRoot, at);
        committedRoot = newRoot;
    }

    /// @notice Locks `amount` of `token` to be minted to `to` on the remote chain.
    /// @return messageHash The outbound message's hash.
    function send(address token, uint256 amount, bytes32 to) external whenNotPaused returns (bytes32 messageHash) {
        if (amount == 0) revert ZeroAmount();
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint32 n = outboundNonce++;
        bytes memory message = abi.encodePacked(
            localDomain, bytes32(uint256(uint160(address(this)))), n, remoteDomain, remoteRouter, abi.encode(token, to, amount)
        );
        messageHash = keccak256(message);
        emit Dispatch(messageHash, n, message);
    }

    /// @notice Proves `leaf` is in the tree with an acceptable root.
    /// @return Whether the proof succeeded.
    function prove(bytes32 leaf, bytes32[32] calldata proof, uint256 index) public returns (bool) {
        if (messages[leaf] != bytes32(0)) revert AlreadyProven(leaf);
        bytes32 root = branchRoot(leaf, proof, index);
        if (!acceptableRoot(root)) return false;
        messages[leaf] = root;
        return true;
    }

    /// @notice Releases the tokens a proven inbound message asks for.
    /// @dev VULNERABLE when `acceptableRoot(bytes32(0))` is true: an unproven
    /// message has `messages[hash] == 0` and passes the check.
    function process(bytes calldata message) public whenNotPaused returns (bool) {
        if (message.length < 76 + 96) revert Malformed();
        bytes32 h = keccak256(message);
        bytes32 root = messages[h];
        if (!acceptableRoot(root)) revert NotProven(h, root);
        if (
            uint32(bytes4(message[0:4])) != remoteDomain || bytes32(message[4:36]) != remoteRouter
                || uint32(bytes4(message[40:44])) != localDomain
        ) revert WrongMessage(h);
        messages[h] = LEGACY_STATUS_PROCESSED;
        (address token, address to, uint256 amount) = abi.decode(message[76:], (address, address, uint256));
        IERC20(token).safeTransfer(to, amount);
        emit Process(h, token, to, amount);
        return true;
    }

    /// @notice `prove` then `process`.
    function proveAndProcess(bytes calldata message, bytes32[32] calldata proof, uint256 index) external {
        if (!prove(keccak256(message), proof, index)) revert NotProven(keccak256(message), bytes32(0));
        process(message);
    }

    /// @notice Root of a depth-32 Merkle branch.
    function branchRoot(bytes32 leaf, bytes32[32] calldata proof, uint256 index) public pure returns (bytes32 node) {
        node = leaf;
        for (uint256 i = 0; i < TREE_DEPTH; i++) {
            if ((index >> i) & 1 == 1) {
                node = keccak256(abi.encodePacked(proof[i], node));
            } else {
                node = keccak256(abi.encodePacked(node, proof[i]));
            }
        }
    }
}
