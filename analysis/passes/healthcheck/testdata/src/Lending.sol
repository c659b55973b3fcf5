// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// Euler-style market: eToken balances are collateral, dToken debt.
contract Market {
    address public owner;
    mapping(address => uint256) public balances;
    mapping(address => uint256) public debts;
    uint256 public reserves;
    uint256 public price = 1e18;

    function _checkLiquidity(address account) internal view {
        require(balances[account] * price / 1e18 * 9 / 10 >= debts[account], "insolvent");
    }

    function deposit(uint256 amount) external {
        balances[msg.sender] += amount;
    }

    function withdraw(uint256 amount) external {
        balances[msg.sender] -= amount;
        _checkLiquidity(msg.sender);
    }

    function borrow(uint256 amount) external {
        debts[msg.sender] += amount;
        _checkLiquidity(msg.sender);
    }

    function repay(uint256 amount) external {
        debts[msg.sender] -= amount;
    }

    // Positive: the Euler bug.
    function donateToReserves(uint256 amount) external { // want "decreases balances without the health check"
        balances[msg.sender] -= amount;
        reserves += amount;
    }

    // Positive: debt minted without a check, through an internal helper.
    function mintDebt(uint256 amount) external { // want "increases debts"
        _increaseDebt(msg.sender, amount);
        balances[msg.sender] += amount;
    }

    function _increaseDebt(address a, uint256 amount) internal {
        debts[a] = debts[a] + amount;
    }

    // Negative: admin function.
    function seize(address a, uint256 amount) external {
        require(msg.sender == owner, "owner");
        balances[a] -= amount;
    }
}

// Negative: a token without any health check is not lending-like.
contract Token {
    mapping(address => uint256) public balances;
    mapping(address => uint256) public borrowed;

    function transfer(address to, uint256 amount) external {
        balances[msg.sender] -= amount;
        balances[to] += amount;
    }
}
