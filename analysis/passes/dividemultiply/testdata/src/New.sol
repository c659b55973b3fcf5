// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Rewards {
    uint256 public rewardRate;
    uint256 public totalStaked;

    function reward(uint256 stake, uint256 elapsed) external view returns (uint256) {
        uint256 perToken = rewardRate / totalStaked;
        return perToken * stake * elapsed; // want "divide before multiply"
    }

    function share(uint256 a, uint256 b, uint256 c) external pure returns (uint256) {
        return uint256(a / b) * c; // want "divide before multiply"
    }

    // Safe: reassigned local is not a single division.
    function safe(uint256 a, uint256 b) external pure returns (uint256) {
        uint256 x = a * 1e18;
        x = x / b;
        x = x + 1;
        return x * 2;
    }

    // Safe: the division is the last step.
    function ratio(uint256 a, uint256 b, uint256 c) external pure returns (uint256) {
        return (a * c) / b;
    }
}
