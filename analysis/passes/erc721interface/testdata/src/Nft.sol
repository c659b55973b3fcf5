// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract BadNft {
    mapping(uint256 => address) internal owners;
    mapping(address => uint256) internal counts;

    function ownerOf(uint256 id) external view returns (uint256) { // want "ownerOf\\(uint256\\) returns \\(uint256\\) instead of \\(address\\)"
        return uint256(uint160(owners[id]));
    }

    function balanceOf(address a) external view returns (uint256) {
        return counts[a];
    }

    function transferFrom(address, address to, uint256 id) external returns (bool) { // want "transferFrom"
        owners[id] = to;
        return true;
    }
}

contract GoodNft {
    mapping(uint256 => address) internal owners;
    mapping(address => uint256) internal counts;

    function ownerOf(uint256 id) external view returns (address) {
        return owners[id];
    }

    function balanceOf(address a) external view returns (uint256) {
        return counts[a];
    }

    function transferFrom(address, address to, uint256 id) external {
        owners[id] = to;
    }
}

// An ERC-20 is not checked against ERC-721.
contract Erc20 {
    function transferFrom(address, address, uint256) external pure returns (bool) { return true; }
    function approve(address, uint256) external pure returns (bool) { return true; }
    function balanceOf(address) external pure returns (uint256) { return 0; }
}
