// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

interface IERC20 {
    function balanceOf(address a) external view returns (uint256);
}

contract Pool {
    IERC20 public token;
    uint256 public reserve;

    function sync() external view {
        require(token.balanceOf(address(this)) == reserve, "imbalanced"); // want "strict equality"
        require(address(this).balance != reserve); // want "strict equality"
    }

    function fine(address user) external view returns (bool) {
        return token.balanceOf(user) == reserve && token.balanceOf(address(this)) >= reserve;
    }
}
