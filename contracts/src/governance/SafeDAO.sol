// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {VoteToken} from "./VoteToken.sol";

/// @title SafeDAO
/// @notice The fixed counterpart of VulnerableDAO, built like OpenZeppelin's
/// Governor with a timelock: voting power is the delegated balance at a
/// snapshot block taken before the proposal existed, voting opens only after
/// a delay and lasts a period of blocks, a passed proposal waits in a
/// timelock before it can run, and there is no emergency path. Tokens
/// borrowed in the proposing transaction carry no votes at the snapshot.
contract SafeDAO is Guarded {
    /// @notice A proposal and its vote.
    struct Proposal {
        address proposer;
        uint64 snapshot;
        uint64 voteStart;
        uint64 voteEnd;
        uint64 eta;
        bool executed;
        uint256 forVotes;
        uint256 againstVotes;
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
    }

    /// @notice The governance token (with checkpoints).
    VoteToken public immutable token;
    /// @notice Snapshot votes a proposer must have.
    uint256 public immutable proposalThreshold;
    /// @notice Blocks between proposal and the start of voting.
    uint256 public immutable votingDelay;
    /// @notice Blocks voting stays open.
    uint256 public immutable votingPeriod;
    /// @notice Seconds a passed proposal waits before execution.
    uint256 public immutable timelockDelay;
    /// @notice Share of the snapshot supply that must vote for, in basis points.
    uint256 public constant QUORUM_BPS = 4_000;

    /// @notice Number of proposals created; ids start at 1.
    uint256 public proposalCount;
    mapping(uint256 => Proposal) private _proposals;
    /// @notice Whether an account voted on a proposal.
    mapping(uint256 => mapping(address => bool)) public hasVoted;

    /// @notice Emitted when a proposal is created.
    event ProposalCreated(uint256 indexed id, address indexed proposer, uint256 snapshot, string description);
    /// @notice Emitted on every vote.
    event VoteCast(uint256 indexed id, address indexed voter, bool support, uint256 weight);
    /// @notice Emitted when a passed proposal enters the timelock.
    event ProposalQueued(uint256 indexed id, uint256 eta);
    /// @notice Emitted when a proposal is executed.
    event ProposalExecuted(uint256 indexed id);
    /// @notice Emitted when the treasury receives ETH.
    event Received(address indexed from, uint256 amount);

    /// @notice The proposer's snapshot votes are below the threshold.
    error BelowThreshold(uint256 votes, uint256 threshold);
    /// @notice Malformed proposal.
    error InvalidProposal();
    /// @notice Unknown or already executed proposal.
    error NotActive(uint256 id);
    /// @notice Voting is not open for this proposal.
    error VotingClosed(uint256 id, uint256 blockNumber);
    /// @notice The voting period has not ended.
    error VotingOpen(uint256 id);
    /// @notice The account already voted.
    error AlreadyVoted(address voter);
    /// @notice The account had no votes at the snapshot.
    error NoVotes(address voter);
    /// @notice Quorum or majority not reached.
    error NotPassed(uint256 id, uint256 forVotes, uint256 needed);
    /// @notice The proposal is not queued or its timelock has not expired.
    error Timelocked(uint256 id, uint256 eta);
    /// @notice A proposal call failed.
    error CallFailed(uint256 index, bytes reason);

    /// @param token_ The governance token.
    /// @param threshold Snapshot votes needed to propose.
    /// @param votingDelay_ Blocks before voting opens (at least 1).
    /// @param votingPeriod_ Blocks voting stays open.
    /// @param timelockDelay_ Seconds between queueing and execution.
    /// @param guardian_ The pause guardian.
    constructor(
        VoteToken token_,
        uint256 threshold,
        uint256 votingDelay_,
        uint256 votingPeriod_,
        uint256 timelockDelay_,
        address guardian_
    ) Guarded(guardian_) {
        if (votingDelay_ == 0 || votingPeriod_ == 0) revert InvalidProposal();
        token = token_;
        proposalThreshold = threshold;
        votingDelay = votingDelay_;
        votingPeriod = votingPeriod_;
        timelockDelay = timelockDelay_;
    }

    /// @notice Treasury deposits.
    receive() external payable {
        emit Received(msg.sender, msg.value);
    }

    /// @notice Creates a proposal; votes are counted at the previous block.
    /// @return id The new proposal's id.
    function propose(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string calldata description
    ) external whenNotPaused returns (uint256 id) {
        uint256 snapshot = block.number - 1;
        uint256 votes = token.getPastVotes(msg.sender, snapshot);
        if (votes < proposalThreshold) revert BelowThreshold(votes, proposalThreshold);
        if (targets.length == 0 || targets.length != values.length || targets.length != calldatas.length) {
            revert InvalidProposal();
        }
        id = ++proposalCount;
        Proposal storage p = _proposals[id];
        p.proposer = msg.sender;
        p.snapshot = uint64(snapshot);
        p.voteStart = uint64(block.number + votingDelay);
        p.voteEnd = uint64(block.number + votingDelay + votingPeriod);
        p.targets = targets;
        p.values = values;
        for (uint256 i = 0; i < calldatas.length; i++) {
            p.calldatas.push(calldatas[i]);
        }
        emit ProposalCreated(id, msg.sender, snapshot, description);
    }

    /// @notice Votes on proposal `id` with the caller's snapshot votes.
    function vote(uint256 id, bool support) external whenNotPaused {
        Proposal storage p = _proposals[id];
        if (p.proposer == address(0) || p.executed) revert NotActive(id);
        if (block.number < p.voteStart || block.number > p.voteEnd) revert VotingClosed(id, block.number);
        if (hasVoted[id][msg.sender]) revert AlreadyVoted(msg.sender);
        uint256 weight = token.getPastVotes(msg.sender, p.snapshot);
        if (weight == 0) revert NoVotes(msg.sender);
        hasVoted[id][msg.sender] = true;
        if (support) {
            p.forVotes += weight;
        } else {
            p.againstVotes += weight;
        }
        emit VoteCast(id, msg.sender, support, weight);
    }

    /// @notice Queues a passed proposal into the timelock.
    function queue(uint256 id) external whenNotPaused {
        Proposal storage p = _proposals[id];
        if (p.proposer == address(0) || p.executed || p.eta != 0) revert NotActive(id);
        if (block.number <= p.voteEnd) revert VotingOpen(id);
        uint256 needed = token.getPastTotalSupply(p.snapshot) * QUORUM_BPS / 10_000;
        if (p.forVotes < needed || p.forVotes <= p.againstVotes) revert NotPassed(id, p.forVotes, needed);
        p.eta = uint64(block.timestamp + timelockDelay);
        emit ProposalQueued(id, p.eta);
    }

    /// @notice Executes a queued proposal after its timelock.
    function execute(uint256 id) external whenNotPaused {
        Proposal storage p = _proposals[id];
        if (p.proposer == address(0) || p.executed) revert NotActive(id);
        if (p.eta == 0 || block.timestamp < p.eta) revert Timelocked(id, p.eta);
        p.executed = true;
        for (uint256 i = 0; i < p.targets.length; i++) {
            (bool ok, bytes memory ret) = p.targets[i].call{value: p.values[i]}(p.calldatas[i]);
            if (!ok) revert CallFailed(i, ret);
        }
        emit ProposalExecuted(id);
    }

    /// @notice Vote totals and status of proposal `id`.
    function proposalVotes(uint256 id)
        external
        view
        returns (uint256 forVotes, uint256 againstVotes, uint256 eta, bool executed)
    {
        Proposal storage p = _proposals[id];
        return (p.forVotes, p.againstVotes, p.eta, p.executed);
    }
}
