// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title VulnerableDAO
/// @notice A token-voting DAO that owns a treasury (ETH and any ERC-20 sent
/// to it) and executes arbitrary calls voted by its token holders. Like
/// Beanstalk (2022) it has an emergency path that executes a proposal as soon
/// as a two-thirds supermajority has voted for it.
/// @dev VULNERABLE: voting power is the voter's *current* token balance, and
/// a proposal can be created, voted and emergency-committed in the same
/// transaction. Whoever can borrow two thirds of the supply for one
/// transaction (a flash loan) controls the treasury.
contract VulnerableDAO is Guarded {
    /// @notice A proposal: calls the DAO makes if it passes.
    struct Proposal {
        address proposer;
        uint64 createdAt;
        bool executed;
        uint256 forVotes;
        uint256 againstVotes;
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
    }

    /// @notice The governance token.
    IERC20 public immutable token;
    /// @notice Tokens a proposer must hold.
    uint256 public immutable proposalThreshold;
    /// @notice Seconds a proposal stays open on the normal path.
    uint256 public constant VOTING_PERIOD = 3 days;

    /// @notice Number of proposals created; ids start at 1.
    uint256 public proposalCount;
    mapping(uint256 => Proposal) private _proposals;
    /// @notice Whether an account voted on a proposal.
    mapping(uint256 => mapping(address => bool)) public hasVoted;

    /// @notice Emitted when a proposal is created.
    event ProposalCreated(uint256 indexed id, address indexed proposer, string description);
    /// @notice Emitted on every vote.
    event VoteCast(uint256 indexed id, address indexed voter, bool support, uint256 weight);
    /// @notice Emitted when a proposal is executed.
    event ProposalExecuted(uint256 indexed id, bool emergency);
    /// @notice Emitted when the treasury receives ETH.
    event Received(address indexed from, uint256 amount);

    /// @notice The proposer holds fewer tokens than the threshold.
    error BelowThreshold(uint256 balance, uint256 threshold);
    /// @notice Malformed proposal.
    error InvalidProposal();
    /// @notice Unknown or already executed proposal.
    error NotActive(uint256 id);
    /// @notice The account already voted.
    error AlreadyVoted(address voter);
    /// @notice The account has no voting power.
    error NoVotes(address voter);
    /// @notice The proposal has not reached the required votes.
    error NotPassed(uint256 id, uint256 forVotes, uint256 needed);
    /// @notice The voting period is still running.
    error VotingOpen(uint256 id);
    /// @notice A proposal call failed.
    error CallFailed(uint256 index, bytes reason);

    /// @param token_ The governance token.
    /// @param threshold Tokens needed to propose.
    /// @param guardian_ The pause guardian.
    constructor(IERC20 token_, uint256 threshold, address guardian_) Guarded(guardian_) {
        token = token_;
        proposalThreshold = threshold;
    }

    /// @notice Treasury deposits.
    receive() external payable {
        emit Received(msg.sender, msg.value);
    }

    /// @notice Creates a proposal to make `targets[i].call{value: values[i]}(calldatas[i])`.
    /// @dev VULNERABLE: the threshold is checked against the current balance.
    /// @return id The new proposal's id.
    function propose(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string calldata description
    ) external whenNotPaused returns (uint256 id) {
        uint256 bal = token.balanceOf(msg.sender);
        if (bal < proposalThreshold) revert BelowThreshold(bal, proposalThreshold);
        if (targets.length == 0 || targets.length != values.length || targets.length != calldatas.length) {
            revert InvalidProposal();
        }
        id = ++proposalCount;
        Proposal storage p = _proposals[id];
        p.proposer = msg.sender;
        p.createdAt = uint64(block.timestamp);
        p.targets = targets;
        p.values = values;
        for (uint256 i = 0; i < calldatas.length; i++) {
            p.calldatas.push(calldatas[i]);
        }
        emit ProposalCreated(id, msg.sender, description);
    }

    /// @notice Votes on proposal `id` with the caller's token balance.
    /// @dev VULNERABLE: weight is the balance right now, flash-loanable.
    function vote(uint256 id, bool support) external whenNotPaused {
        Proposal storage p = _proposals[id];
        if (p.proposer == address(0) || p.executed) revert NotActive(id);
        if (hasVoted[id][msg.sender]) revert AlreadyVoted(msg.sender);
        uint256 weight = token.balanceOf(msg.sender);
        if (weight == 0) revert NoVotes(msg.sender);
        hasVoted[id][msg.sender] = true;
        if (support) {
            p.forVotes += weight;
        } else {
            p.againstVotes += weight;
        }
        emit VoteCast(id, msg.sender, support, weight);
    }

    /// @notice Normal path: executes a proposal after its voting period when
    /// a majority of the supply voted for it.
    function commit(uint256 id) external whenNotPaused {
        Proposal storage p = _proposals[id];
        if (p.proposer == address(0) || p.executed) revert NotActive(id);
        if (block.timestamp < p.createdAt + VOTING_PERIOD) revert VotingOpen(id);
        uint256 needed = token.totalSupply() / 2 + 1;
        if (p.forVotes < needed || p.forVotes <= p.againstVotes) revert NotPassed(id, p.forVotes, needed);
        _execute(id, p, false);
    }

    /// @notice Emergency path: executes immediately once two thirds of the
    /// supply voted for the proposal.
    /// @dev VULNERABLE: no delay between proposal, vote and execution.
    function emergencyCommit(uint256 id) external whenNotPaused {
        Proposal storage p = _proposals[id];
        if (p.proposer == address(0) || p.executed) revert NotActive(id);
        uint256 needed = token.totalSupply() * 2 / 3 + 1;
        if (p.forVotes < needed) revert NotPassed(id, p.forVotes, needed);
        _execute(id, p, true);
    }

    /// @notice The calls of proposal `id`.
    function getActions(uint256 id)
        external
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        Proposal storage p = _proposals[id];
        return (p.targets, p.values, p.calldatas);
    }

    /// @notice Vote totals and status of proposal `id`.
    function proposalVotes(uint256 id) external view returns (uint256 forVotes, uint256 againstVotes, bool executed) {
        Proposal storage p = _proposals[id];
        return (p.forVotes, p.againstVotes, p.executed);
    }

    function _execute(uint256 id, Proposal storage p, bool emergency) private {
        p.executed = true;
        for (uint256 i = 0; i < p.targets.length; i++) {
            (bool ok, bytes memory ret) = p.targets[i].call{value: p.values[i]}(p.calldatas[i]);
            if (!ok) revert CallFailed(i, ret);
        }
        emit ProposalExecuted(id, emergency);
    }
}
