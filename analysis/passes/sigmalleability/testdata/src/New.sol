// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Claims {
    mapping(bytes32 => bool) public claimed;
    address public signer;

    function claim(uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 key = keccak256(abi.encode(r, s));
        require(!claimed[key], "used");
        claimed[key] = true;
        bytes32 h = keccak256(abi.encode(msg.sender, amount));
        require(ecrecover(h, v, r, s) == signer, "sig"); // want "signature malleability"
        payable(msg.sender).transfer(amount);
    }

    // Safe: low-s enforced.
    function claimStrict(uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
        require(uint256(s) <= 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0, "high s");
        bytes32 key = keccak256(abi.encode(r, s));
        require(!claimed[key], "used");
        claimed[key] = true;
        require(ecrecover(keccak256(abi.encode(msg.sender, amount)), v, r, s) == signer, "sig");
    }

    // Safe: keyed by the message, not the signature.
    function claimByMessage(uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 h = keccak256(abi.encode(msg.sender, amount));
        require(!claimed[h], "used");
        claimed[h] = true;
        require(ecrecover(h, v, r, s) == signer, "sig");
    }
}
