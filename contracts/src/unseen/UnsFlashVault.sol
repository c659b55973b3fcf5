// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";

interface IUnsLoanTaker {
    function onUnsAdvance(address token, uint256 amount, bytes calldata data) external;
}

/// @title UnsFlashVault
/// @notice Lends any token it holds for the duration of one call, for free:
/// its own interface, no events.
contract UnsFlashVault {
    error NotRepaid(uint256 before, uint256 afterwards);

    function advance(address token, uint256 amount, address taker, bytes calldata data) external {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).transfer(taker, amount);
        IUnsLoanTaker(taker).onUnsAdvance(token, amount, data);
        uint256 afterwards = IERC20(token).balanceOf(address(this));
        if (afterwards < before) revert NotRepaid(before, afterwards);
    }
}
