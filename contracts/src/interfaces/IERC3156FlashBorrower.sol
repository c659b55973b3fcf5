// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC3156FlashBorrower
/// @notice Receiver of an ERC-3156 flash loan.
interface IERC3156FlashBorrower {
    /// @notice Called by the lender after sending `amount` of `token`.
    /// @return keccak256("ERC3156FlashBorrower.onFlashLoan") on success.
    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata data)
        external
        returns (bytes32);
}
