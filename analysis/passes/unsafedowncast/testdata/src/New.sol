// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Staking {
    struct Stake {
        uint96 amount;
        uint32 since;
    }

    mapping(address => Stake) public stakes;
    int64 public lastDelta;

    function stake(uint256 amount) external {
        stakes[msg.sender].amount = uint96(amount); // want "unsafe downcast"
        stakes[msg.sender].since = uint32(block.timestamp);
    }

    function delta(int256 d) external {
        lastDelta = int64(d); // want "unsafe downcast"
    }

    // Safe: bounded first.
    function stakeChecked(uint256 amount) external {
        require(amount <= type(uint96).max, "overflow");
        stakes[msg.sender].amount = uint96(amount);
    }

    // Safe: masked and widened.
    function low(uint256 x) external pure returns (uint8, uint256) {
        return (uint8(x & 0xff), uint256(uint8(1)));
    }
}

library SafeCast {
    function toUint128(uint256 x) internal pure returns (uint128) {
        require(x <= type(uint128).max);
        return uint128(x);
    }
}

contract UsesSafeCast {
    using SafeCast for uint256;
    uint128 public total;

    function add(uint256 x) external {
        total = uint128(x);
        total = x.toUint128();
    }
}

contract Packed {
    // Safe: unpacking a packed word.
    function unpack(uint256 keyNonce) external pure returns (uint192, uint64) {
        return (uint192(keyNonce >> 64), uint64(keyNonce));
    }
}
