// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../tokens/ERC20.sol";

/// @title VoteToken
/// @notice Fixed-supply governance token with ERC20Votes-style delegation and
/// per-block checkpoints. Balances alone carry no voting power: a holder must
/// delegate (to itself or another account), and `getPastVotes` answers what
/// an account's voting power was at the end of a past block -- the snapshot a
/// safe governor reads so that tokens borrowed now cannot vote on a proposal
/// created earlier.
contract VoteToken is ERC20 {
    /// @notice One voting-power record.
    struct Checkpoint {
        uint32 fromBlock;
        uint224 votes;
    }

    /// @notice The delegate each holder's voting power goes to.
    mapping(address => address) public delegates;
    mapping(address => Checkpoint[]) private _checkpoints;
    Checkpoint[] private _supplyCheckpoints;

    /// @notice Emitted when an account changes its delegate.
    event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate);
    /// @notice Emitted when a delegate's voting power changes.
    event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes);

    /// @notice The queried block is not yet final.
    error FutureLookup(uint256 blockNumber, uint256 current);

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param supply Total supply, minted to the deployer.
    constructor(string memory name_, string memory symbol_, uint256 supply) ERC20(name_, symbol_, 18) {
        _mint(msg.sender, supply);
    }

    /// @notice Delegates the caller's voting power to `delegatee`.
    function delegate(address delegatee) external {
        address previous = delegates[msg.sender];
        delegates[msg.sender] = delegatee;
        emit DelegateChanged(msg.sender, previous, delegatee);
        _moveVotes(previous, delegatee, balanceOf[msg.sender]);
    }

    /// @notice Current voting power of `account`.
    function getVotes(address account) external view returns (uint256) {
        Checkpoint[] storage ckpts = _checkpoints[account];
        uint256 n = ckpts.length;
        return n == 0 ? 0 : ckpts[n - 1].votes;
    }

    /// @notice Voting power of `account` at the end of block `blockNumber`.
    function getPastVotes(address account, uint256 blockNumber) external view returns (uint256) {
        if (blockNumber >= block.number) revert FutureLookup(blockNumber, block.number);
        return _lookup(_checkpoints[account], blockNumber);
    }

    /// @notice Total supply at the end of block `blockNumber`.
    function getPastTotalSupply(uint256 blockNumber) external view returns (uint256) {
        if (blockNumber >= block.number) revert FutureLookup(blockNumber, block.number);
        return _lookup(_supplyCheckpoints, blockNumber);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0) || to == address(0)) {
            _push(_supplyCheckpoints, totalSupply);
        }
        _moveVotes(from == address(0) ? address(0) : delegates[from], to == address(0) ? address(0) : delegates[to], value);
    }

    function _moveVotes(address src, address dst, uint256 amount) private {
        if (src == dst || amount == 0) return;
        if (src != address(0)) {
            Checkpoint[] storage c = _checkpoints[src];
            uint256 old = c.length == 0 ? 0 : c[c.length - 1].votes;
            _push(c, old - amount);
            emit DelegateVotesChanged(src, old, old - amount);
        }
        if (dst != address(0)) {
            Checkpoint[] storage c = _checkpoints[dst];
            uint256 old = c.length == 0 ? 0 : c[c.length - 1].votes;
            _push(c, old + amount);
            emit DelegateVotesChanged(dst, old, old + amount);
        }
    }

    function _push(Checkpoint[] storage ckpts, uint256 votes) private {
        uint256 n = ckpts.length;
        if (n > 0 && ckpts[n - 1].fromBlock == block.number) {
            ckpts[n - 1].votes = uint224(votes);
        } else {
            ckpts.push(Checkpoint({fromBlock: uint32(block.number), votes: uint224(votes)}));
        }
    }

    /// @dev Binary search for the last checkpoint at or before `blockNumber`.
    function _lookup(Checkpoint[] storage ckpts, uint256 blockNumber) private view returns (uint256) {
        uint256 lo = 0;
        uint256 hi = ckpts.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (ckpts[mid].fromBlock > blockNumber) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo == 0 ? 0 : ckpts[lo - 1].votes;
    }
}
