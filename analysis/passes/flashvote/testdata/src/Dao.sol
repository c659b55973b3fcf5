// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IVotes {
    function balanceOf(address) external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function getVotes(address) external view returns (uint256);
    function getPastVotes(address, uint256) external view returns (uint256);
    function getPastTotalSupply(uint256) external view returns (uint256);
}

// Positive: Beanstalk-style DAO with current balances and an emergency path.
contract FlashDao {
    struct Proposal { address target; bytes data; uint256 forVotes; uint256 created; bool done; }
    IVotes public token;
    mapping(uint256 => Proposal) public proposals;
    uint256 public count;

    function propose(address target, bytes calldata data) external returns (uint256 id) {
        require(token.balanceOf(msg.sender) >= 1000e18, "threshold"); // want "voting power read from the current balance"
        id = ++count;
        proposals[id] = Proposal(target, data, 0, block.timestamp, false);
    }

    function vote(uint256 id) external {
        proposals[id].forVotes += _weight(msg.sender);
    }

    function _weight(address voter) internal view returns (uint256) {
        return token.getVotes(voter); // want "getVotes"
    }

    function emergencyCommit(uint256 id) external { // want "without any voting period"
        Proposal storage p = proposals[id];
        require(p.forVotes * 3 > token.totalSupply() * 2, "quorum");
        p.done = true;
        (bool ok,) = p.target.call(p.data);
        require(ok, "call");
    }

    function commit(uint256 id) external {
        Proposal storage p = proposals[id];
        require(block.timestamp >= p.created + 3 days, "open");
        p.done = true;
        (bool ok,) = p.target.call(p.data);
        require(ok, "call");
    }
}
