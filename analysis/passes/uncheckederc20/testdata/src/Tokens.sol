// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
}

interface INoReturn {
    function transfer(address to, uint256 amount) external;
}

library SafeERC20 {
    function safeTransfer(IERC20 t, address to, uint256 v) internal {
        require(t.transfer(to, v), "transfer failed");
    }
}

contract Vault {
    using SafeERC20 for IERC20;
    IERC20 public token;
    mapping(address => uint256) public balances;

    function deposit(uint256 amount) external {
        token.transferFrom(msg.sender, address(this), amount); // want "return value of ERC-20 transferFrom is not checked"
        balances[msg.sender] += amount;
    }

    function withdraw(uint256 amount) external {
        balances[msg.sender] -= amount;
        IERC20(token).transfer(msg.sender, amount); // want "ERC-20 transfer"
    }

    function allow(address s) external {
        token.approve(s, type(uint256).max); // want "approve"
    }

    // Negative cases.
    function withdrawChecked(uint256 amount) external {
        balances[msg.sender] -= amount;
        require(token.transfer(msg.sender, amount), "failed");
        bool ok = token.transfer(msg.sender, 0);
        require(ok);
        token.safeTransfer(msg.sender, 0);
        INoReturn(address(token)).transfer(msg.sender, 0);
        payable(msg.sender).transfer(0);
    }
}
