// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtRenouncedToken
/// @notice Honest OpenZeppelin-style Ownable token whose only owner power
/// (a cosmetic website link) dies with a real renounceOwnership.
contract RtRenouncedToken is RtERC20Lite, RtOwnable {
    string public website;

    constructor() RtERC20Lite("Community Coin", "COMM", 18) {
        _mint(msg.sender, 100_000_000 ether);
    }

    function setWebsite(string calldata url) external onlyOwner {
        website = url;
    }
}
