// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title UnsEtherWallet
/// @notice Holds ether per account; balances can be moved between accounts.
contract UnsEtherWallet {
    mapping(address => uint256) public credit;

    function deposit() external payable {
        credit[msg.sender] += msg.value;
    }

    function move(address to, uint256 amount) external {
        require(credit[msg.sender] >= amount, "credit");
        credit[msg.sender] -= amount;
        credit[to] += amount;
    }

    // VULNERABLE: pays before zeroing the credit, and move() has no lock:
    // the recipient re-enters move() and keeps the credit it was just paid.
    function withdrawAll() external {
        uint256 amount = credit[msg.sender];
        require(amount > 0, "nothing");
        (bool ok,) = msg.sender.call{value: amount}("");
        require(ok, "send");
        credit[msg.sender] = 0;
    }
}
