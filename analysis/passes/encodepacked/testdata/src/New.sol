// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Whitelist {
    address public signer;

    function set(address[] calldata admins, address[] calldata users, uint8 v, bytes32 r, bytes32 s) external {
        bytes memory data = abi.encodePacked(admins, users); // want "abi.encodePacked hashes 2 dynamic values"
        bytes32 h = keccak256(data);
        require(ecrecover(h, v, r, s) == signer && signer != address(0), "sig");
    }

    // Safe: abi.encode is length-prefixed.
    function setEncoded(address[] calldata admins, address[] calldata users, uint8 v, bytes32 r, bytes32 s) external view {
        bytes32 h = keccak256(abi.encode(admins, users));
        require(ecrecover(h, v, r, s) == signer && signer != address(0), "sig");
    }

    // Safe: not hashed.
    function concat(string memory a, string memory b) external pure returns (bytes memory) {
        return abi.encodePacked(a, b);
    }
}
