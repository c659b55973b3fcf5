// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract Airdrop {
    struct Claim {
        address who;
        uint256 amount;
    }

    Claim[] public claims;
    uint256 public total;
    IERC20 public token;

    function register(uint256 amount) external {
        claims.push(Claim(msg.sender, amount));
    }

    function distribute() external {
        uint256 n = claims.length;
        for (uint256 i; i < n; ++i) { // want "unbounded loop over claims"
            token.transfer(claims[i].who, claims[i].amount);
        }
    }

    function tally() external {
        uint256 i;
        while (i < claims.length) { // want "unbounded loop over claims"
            total += claims[i].amount;
            i++;
        }
    }

    // Safe: loop over calldata, not storage.
    function batch(address[] calldata to) external {
        for (uint256 i; i < to.length; ++i) {
            token.transfer(to[i], 1);
        }
    }
}
