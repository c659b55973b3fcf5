// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";

interface IUnsPairReserves {
    function token0() external view returns (address);
    function getReserves() external view returns (uint112, uint112, uint32);
}

/// @title UnsLendingDesk
/// @notice Lends `cash` against `collateral` at 75% loan-to-value, valuing
/// the collateral at a pool's current reserves.
contract UnsLendingDesk {
    IERC20 public immutable collateral;
    IERC20 public immutable cash;
    address public immutable pool;
    mapping(address => uint256) public posted;
    mapping(address => uint256) public owed;

    error Undercollateralised(uint256 value, uint256 debt);

    constructor(address collateral_, address cash_, address pool_) {
        collateral = IERC20(collateral_);
        cash = IERC20(cash_);
        pool = pool_;
    }

    /// @notice Cash per collateral unit, 1e18-scaled.
    // VULNERABLE: the spot price of one pool, movable within a transaction.
    function price() public view returns (uint256) {
        (uint112 r0, uint112 r1,) = IUnsPairReserves(pool).getReserves();
        if (IUnsPairReserves(pool).token0() == address(collateral)) return uint256(r1) * 1e18 / r0;
        return uint256(r0) * 1e18 / r1;
    }

    /// @notice Adds cash for borrowers.
    function fund(uint256 amount) external {
        cash.transferFrom(msg.sender, address(this), amount);
    }

    function post(uint256 amount) external {
        collateral.transferFrom(msg.sender, address(this), amount);
        posted[msg.sender] += amount;
    }

    function take(uint256 amount) external {
        owed[msg.sender] += amount;
        _check(msg.sender);
        cash.transfer(msg.sender, amount);
    }

    function repay(uint256 amount) external {
        cash.transferFrom(msg.sender, address(this), amount);
        owed[msg.sender] -= amount;
    }

    function unpost(uint256 amount) external {
        posted[msg.sender] -= amount;
        _check(msg.sender);
        collateral.transfer(msg.sender, amount);
    }

    function _check(address who) private view {
        uint256 value = posted[who] * price() / 1e18;
        if (owed[who] * 4 > value * 3) revert Undercollateralised(value, owed[who]);
    }
}
