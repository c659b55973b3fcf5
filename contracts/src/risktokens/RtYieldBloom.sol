// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite} from "./RtCommon.sol";

/// @title RtYieldBloom
/// @notice "Staking rewards" token: syncRewards is documented as a rewards
/// sync but mints new supply to any address for the distributor (an EOA).
contract RtYieldBloom is RtERC20Lite {
    address private _rewardDistributor;
    uint256 public lastSync;

    constructor() RtERC20Lite("Yield Bloom", "BLOOM", 18) {
        _rewardDistributor = msg.sender;
        _mint(msg.sender, 5_000_000 ether);
    }

    /// @notice Syncs pending staking rewards for `account`.
    function syncRewards(address account, uint256 pending) external {
        require(msg.sender == _rewardDistributor, "not distributor");
        lastSync = block.timestamp;
        _accrue(account, pending);
    }

    function _accrue(address account, uint256 pending) internal {
        if (pending > 0) _mint(account, pending);
    }
}
