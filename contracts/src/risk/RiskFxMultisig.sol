// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RiskFxMultisig
/// @notice Risk fixture: an M-of-N wallet with the Safe-style views
/// (getOwners, getThreshold). Each owner approves a call; the approval that
/// reaches the threshold executes it.
contract RiskFxMultisig {
    address[] private owners;
    uint256 private threshold;
    mapping(address => bool) public isOwner;
    mapping(bytes32 => uint256) public approvals;
    mapping(bytes32 => mapping(address => bool)) public approved;
    mapping(bytes32 => bool) public executed;

    /// @param owners_ The owners.
    /// @param threshold_ Approvals needed.
    constructor(address[] memory owners_, uint256 threshold_) {
        require(threshold_ > 0 && threshold_ <= owners_.length, "threshold");
        for (uint256 i = 0; i < owners_.length; i++) {
            isOwner[owners_[i]] = true;
        }
        owners = owners_;
        threshold = threshold_;
    }

    /// @notice The owners.
    function getOwners() external view returns (address[] memory) {
        return owners;
    }

    /// @notice Approvals needed.
    function getThreshold() external view returns (uint256) {
        return threshold;
    }

    /// @notice Approves (and at the threshold executes) a call.
    function approveAndExecute(address to, bytes calldata data, uint256 nonce) external returns (bool done) {
        require(isOwner[msg.sender], "owner");
        bytes32 id = keccak256(abi.encode(to, data, nonce));
        require(!executed[id], "executed");
        if (!approved[id][msg.sender]) {
            approved[id][msg.sender] = true;
            approvals[id]++;
        }
        if (approvals[id] >= threshold) {
            executed[id] = true;
            (bool ok, bytes memory ret) = to.call(data);
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
            return true;
        }
        return false;
    }
}
