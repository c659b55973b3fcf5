// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

// Negative: checked arithmetic.
contract Modern {
    mapping(address => uint256) balances;

    function transfer(address to, uint256 value) external {
        balances[msg.sender] -= value;
        balances[to] += value;
    }
}
