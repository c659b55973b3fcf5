// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceOracle} from "./IPriceOracle.sol";

/// @title ILendingMarket
/// @notice The external interface of LendingMarket.
interface ILendingMarket {
    function asset() external view returns (address);
    function collateral() external view returns (address);
    function oracle() external view returns (IPriceOracle);
    function getCash() external view returns (uint256);
    function totalBorrows() external view returns (uint256);
    function collateralFactorBps() external view returns (uint256);
    function collateralOf(address account) external view returns (uint256);
    function borrowBalance(address borrower) external view returns (uint256);
    function healthFactor(address account) external view returns (uint256);

    function supply(uint256 amount) external returns (uint256 shares);
    function redeem(uint256 shares) external returns (uint256 amount);
    function deposit(uint256 amount) external;
    function withdraw(uint256 amount) external;
    function borrow(uint256 amount) external;
    function repay(address borrower, uint256 amount) external returns (uint256 repaid);
    function liquidate(address borrower, uint256 repayAmount) external returns (uint256 seized);
}
