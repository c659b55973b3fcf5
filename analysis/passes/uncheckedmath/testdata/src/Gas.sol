// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Gas {
    mapping(address => uint256) public balances;
    uint256 public total;

    function transfer(address to, uint256 amount) external {
        unchecked {
            balances[msg.sender] -= amount; // want "unchecked - on caller-controlled amount"
            balances[to] += amount; // want "unchecked"
        }
    }

    function scale(uint256 x, uint256 k) external returns (uint256 r) {
        unchecked {
            r = x * k; // want "unchecked \\* on caller-controlled"
        }
        total = r;
    }

    // Negative cases.
    function guarded(uint256 amount) external {
        uint256 bal = balances[msg.sender];
        if (bal < amount) revert();
        unchecked {
            balances[msg.sender] = bal - amount;
        }
    }

    function loop(uint256[] calldata xs) external {
        uint256 s;
        for (uint256 i = 0; i < xs.length; ) {
            s += xs[i];
            unchecked {
                ++i;
            }
        }
        unchecked {
            total += 1;
        }
    }
}
