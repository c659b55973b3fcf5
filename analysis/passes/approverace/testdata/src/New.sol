// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Token {
    mapping(address => mapping(address => uint256)) public allowance;

    function approve(address spender, uint256 amount) external returns (bool) { // want "approve overwrites"
        _approve(msg.sender, spender, amount);
        return true;
    }

    function _approve(address owner, address spender, uint256 amount) internal {
        allowance[owner][spender] = amount;
    }
}

interface IERC20 {
    function approve(address spender, uint256 amount) external returns (bool);
}

contract User {
    function go(IERC20 t, address s) external {
        t.approve(s, 1);
    }
}
