// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RiskFxBase} from "./RiskFxBase.sol";

/// @title RiskFxCappedFeeToken
/// @notice Risk fixture: a transfer fee the owner can change only up to 5%,
/// and a max-transaction limit.
contract RiskFxCappedFeeToken is RiskFxBase {
    address public owner;
    uint256 public feeBps = 200;
    uint256 public maxTx;

    /// @param supply Minted to the deployer.
    constructor(uint256 supply) {
        owner = msg.sender;
        maxTx = supply / 50;
        _mintTo(msg.sender, supply);
    }

    /// @notice Sets the fee, at most 500 bps.
    function setFee(uint256 bps) external {
        require(msg.sender == owner, "owner");
        require(bps <= 500, "cap");
        feeBps = bps;
    }

    /// @notice ERC-20 transfer.
    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    /// @notice ERC-20 transferFrom.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _spend(from, amount);
        _transfer(from, to, amount);
        return true;
    }

    function _transfer(address from, address to, uint256 amount) internal {
        require(amount <= maxTx, "max tx");
        uint256 cut = (amount * feeBps) / 10000;
        balanceOf[from] -= amount;
        balanceOf[to] += amount - cut;
        totalSupply -= cut;
        emit Transfer(from, to, amount - cut);
    }
}
