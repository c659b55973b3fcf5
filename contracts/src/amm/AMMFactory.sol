// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IUniswapV2Factory} from "../interfaces/IUniswapV2Factory.sol";
import {AMMPair} from "./AMMPair.sol";

/// @title AMMFactory
/// @notice Deploys one AMMPair per token pair with CREATE2 and keeps the
/// registry (Uniswap V2 semantics). The deployer may switch on the 1/6
/// protocol fee by setting feeTo.
contract AMMFactory is IUniswapV2Factory {
    /// @notice Recipient of the protocol fee; zero means off.
    address public feeTo;
    /// @notice The account allowed to set feeTo.
    address public feeToSetter;

    /// @notice Pair address per (tokenA, tokenB), in both orders.
    mapping(address => mapping(address => address)) public getPair;
    /// @notice Every pair in creation order.
    address[] public allPairs;

    error IdenticalAddresses();
    error ZeroAddress();
    error PairExists(address pair);
    error Forbidden();

    constructor() {
        feeToSetter = msg.sender;
    }

    /// @notice The number of pairs created.
    function allPairsLength() external view returns (uint256) {
        return allPairs.length;
    }

    /// @notice Deploys the pair for tokenA/tokenB.
    /// @return pair The new pair's address.
    function createPair(address tokenA, address tokenB) external returns (address pair) {
        if (tokenA == tokenB) revert IdenticalAddresses();
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        if (token0 == address(0)) revert ZeroAddress();
        if (getPair[token0][token1] != address(0)) revert PairExists(getPair[token0][token1]);
        bytes32 salt = keccak256(abi.encodePacked(token0, token1));
        pair = address(new AMMPair{salt: salt}());
        AMMPair(pair).initialize(token0, token1);
        getPair[token0][token1] = pair;
        getPair[token1][token0] = pair;
        allPairs.push(pair);
        emit PairCreated(token0, token1, pair, allPairs.length);
    }

    /// @notice Sets the protocol-fee recipient.
    function setFeeTo(address feeTo_) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        feeTo = feeTo_;
    }

    /// @notice Hands the feeTo-setter role to another account.
    function setFeeToSetter(address feeToSetter_) external {
        if (msg.sender != feeToSetter) revert Forbidden();
        feeToSetter = feeToSetter_;
    }
}
