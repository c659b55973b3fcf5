// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

library SafeERC20 {
    function safeTransferFrom(IERC20 token, address from, address to, uint256 value) internal {
        require(token.transferFrom(from, to, value));
    }
}

contract Router {
    using SafeERC20 for IERC20;

    address public owner;
    mapping(address => mapping(address => bool)) public operators;

    function swap(IERC20 token, address from, address to, uint256 amount) external {
        token.safeTransferFrom(from, to, amount); // want "swap moves tokens from the caller-chosen account from"
    }

    function deposit(IERC20 token, address user, uint256 amount) external {
        SafeERC20.safeTransferFrom(token, user, address(this), amount); // want "deposit moves tokens"
    }

    // Safe: operator approval checked.
    function operatorPull(IERC20 token, address from, uint256 amount) external {
        require(operators[from][msg.sender], "not operator");
        token.safeTransferFrom(from, address(this), amount);
    }

    // Safe: guarded.
    function adminPull(IERC20 token, address from, uint256 amount) external {
        require(msg.sender == owner, "owner");
        token.safeTransferFrom(from, owner, amount);
    }

    // Safe: from the caller.
    function pay(IERC20 token, uint256 amount) external {
        token.safeTransferFrom(msg.sender, address(this), amount);
    }
}

interface IERC20Permit {
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

contract PermitDeposit {
    IERC20Permit public token;
    mapping(address => uint256) public deposits;

    // Safe: the owner's permit signature authorizes the pull.
    function depositWithPermit(address owner, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        token.permit(owner, address(this), amount, deadline, v, r, s);
        token.transferFrom(owner, address(this), amount);
        deposits[owner] += amount;
    }
}
