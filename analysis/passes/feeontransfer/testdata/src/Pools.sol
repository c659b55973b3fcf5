// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function balanceOf(address) external view returns (uint256);
    function transfer(address, uint256) external returns (bool);
    function transferFrom(address, address, uint256) external returns (bool);
}

library SafeERC20 {
    function safeTransferFrom(IERC20 t, address from, address to, uint256 v) internal {
        require(t.transferFrom(from, to, v), "tf");
    }
}

// Positive: credits the requested amount.
contract NaivePool {
    using SafeERC20 for IERC20;
    IERC20 public token;
    mapping(address => uint256) public deposits;
    uint256 public total;
    mapping(address => uint256) public shares;

    function deposit(uint256 amount) external {
        token.transferFrom(msg.sender, address(this), amount); // want "credits the same amount"
        deposits[msg.sender] += amount;
    }

    function depositFor(address user, uint256 amount) external {
        token.safeTransferFrom(msg.sender, address(this), amount); // want "fee-on-transfer"
        _credit(user, amount);
    }

    function _credit(address user, uint256 value) internal {
        shares[user] = shares[user] + value;
        total += value;
    }
}

// Negative: measures the received amount.
contract DeltaPool {
    IERC20 public token;
    mapping(address => uint256) public deposits;

    function deposit(uint256 amount) external {
        uint256 before = token.balanceOf(address(this));
        token.transferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        deposits[msg.sender] += received;
    }
}

// Negative: pulls without crediting the amount (fixed-price sale: the
// buyer pays, the credit is a different quantity).
contract Sale {
    IERC20 public token;
    mapping(address => uint256) public bought;

    function buy(uint256 cost, uint256 units) external {
        token.transferFrom(msg.sender, address(this), cost);
        bought[msg.sender] += units;
    }
}
