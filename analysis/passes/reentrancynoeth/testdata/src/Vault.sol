// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address a) external view returns (uint256);
}

contract Vault {
    IERC20 public token;
    mapping(address => uint256) public shares;
    uint256 public totalShares;

    function deposit(uint256 amount) external {
        uint256 minted = totalShares == 0 ? amount : amount * totalShares / token.balanceOf(address(this));
        token.transferFrom(msg.sender, address(this), amount); // want "reentrancy: external call before shares, totalShares"
        shares[msg.sender] += minted;
        totalShares += minted;
    }

    function withdraw() external {
        uint256 s = shares[msg.sender];
        require(token.transfer(msg.sender, s)); // want "reentrancy"
        shares[msg.sender] = 0;
    }

    // Negative: effects first.
    function withdrawSafe() external {
        uint256 s = shares[msg.sender];
        shares[msg.sender] = 0;
        require(token.transfer(msg.sender, s));
    }

    // Negative: the call sends Ether (reentrancy-eth's business).
    function pay() external {
        uint256 s = shares[msg.sender];
        (bool ok,) = msg.sender.call{value: s}("");
        require(ok);
        shares[msg.sender] = 0;
    }

    // Negative: view call.
    function sync() external {
        totalShares = token.balanceOf(address(this));
        totalShares = totalShares + 1;
    }
}
