// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtBotBlocker
/// @notice "Anti-sniper" bot list: listed addresses cannot move tokens.
contract RtBotBlocker is RtERC20Lite, RtOwnable {
    mapping(address => bool) private bots;

    constructor() RtERC20Lite("Bot Blocker", "NOBOT", 18) {
        _mint(msg.sender, 8_000_000 ether);
    }

    function addBots(address[] calldata list) external onlyOwner {
        for (uint256 i; i < list.length; i++) bots[list[i]] = true;
    }

    function delBot(address notbot) external onlyOwner {
        bots[notbot] = false;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        require(!bots[from] && !bots[to], "TOKEN: Your account is blacklisted!");
        super._transfer(from, to, amount);
    }
}
