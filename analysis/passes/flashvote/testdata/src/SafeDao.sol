// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Dao.sol";

// Negative: snapshot voting with a timelock.
contract SnapshotDao {
    struct Proposal { address target; bytes data; uint256 forVotes; uint256 snapshot; uint256 eta; }
    IVotes public token;
    mapping(uint256 => Proposal) public proposals;
    uint256 public count;

    function propose(address target, bytes calldata data) external returns (uint256 id) {
        uint256 snap = block.number - 1;
        require(token.getPastVotes(msg.sender, snap) >= 1000e18, "threshold");
        id = ++count;
        proposals[id] = Proposal(target, data, 0, snap, 0);
    }

    function castVote(uint256 id) external {
        Proposal storage p = proposals[id];
        p.forVotes += token.getPastVotes(msg.sender, p.snapshot);
    }

    function queue(uint256 id) external {
        Proposal storage p = proposals[id];
        require(p.forVotes > token.getPastTotalSupply(p.snapshot) / 2, "quorum");
        p.eta = block.timestamp + 2 days;
    }

    function execute(uint256 id) external {
        Proposal storage p = proposals[id];
        require(p.eta != 0 && block.timestamp >= p.eta, "timelock");
        (bool ok,) = p.target.call(p.data);
        require(ok, "call");
    }
}

// Negative: a vault reading balances, not a governance contract.
contract Staking {
    IVotes public token;
    mapping(address => uint256) public staked;

    function execute(address who) external view returns (uint256) {
        return token.balanceOf(who) + staked[who];
    }
}
