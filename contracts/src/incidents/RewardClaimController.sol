// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title RewardClaimController
/// @notice A referral-rewards controller paying epoch rewards in the
/// protocol's own token. Re-creates Level Finance (May 2023):
/// `claimMultiple` paid each listed epoch without marking it claimed, so an
/// epoch repeated in the list paid out again and again.
contract RewardClaimController is Guarded {
    /// @notice The reward token (e.g. LVLx).
    IERC20 public immutable rewardToken;
    /// @notice True for the fixed variant: claimMultiple marks each epoch.
    bool public immutable marksClaims;
    /// @notice Reward per epoch per account.
    mapping(uint256 => mapping(address => uint256)) public rewards;
    /// @notice Whether an account claimed an epoch.
    mapping(uint256 => mapping(address => bool)) public claimed;

    /// @notice Emitted for every paid claim.
    event Claimed(address indexed account, uint256 indexed epoch, address to, uint256 amount);
    /// @notice The epoch was already claimed.
    error AlreadyClaimed(uint256 epoch);

    /// @param rewardToken_ The reward token.
    /// @param guardian_ The pause guardian.
    /// @param marksClaims_ True for the fixed variant.
    constructor(IERC20 rewardToken_, address guardian_, bool marksClaims_) Guarded(guardian_) {
        rewardToken = rewardToken_;
        marksClaims = marksClaims_;
    }

    /// @notice Owner records the referral rewards of an epoch.
    function setRewards(uint256 epoch, address[] calldata accounts, uint256[] calldata amounts) external onlyOwner {
        for (uint256 i = 0; i < accounts.length; i++) {
            rewards[epoch][accounts[i]] = amounts[i];
        }
    }

    /// @notice Claims one epoch.
    function claim(uint256 epoch, address to) external whenNotPaused {
        if (claimed[epoch][msg.sender]) revert AlreadyClaimed(epoch);
        claimed[epoch][msg.sender] = true;
        _pay(epoch, to);
    }

    /// @notice Claims several epochs at once.
    function claimMultiple(uint256[] calldata epochs, address to) external whenNotPaused {
        for (uint256 i = 0; i < epochs.length; i++) {
            uint256 e = epochs[i];
            if (claimed[e][msg.sender]) revert AlreadyClaimed(e);
            // VULNERABLE: the epoch is checked but never marked claimed, so
            // a repeated epoch pays again.
            if (marksClaims) claimed[e][msg.sender] = true;
            _pay(e, to);
        }
    }

    function _pay(uint256 epoch, address to) internal {
        uint256 amount = rewards[epoch][msg.sender];
        rewardToken.transfer(to, amount);
        emit Claimed(msg.sender, epoch, to, amount);
    }
}
