// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

library ECDSA {
    function recover(bytes32 hash, bytes memory sig) internal pure returns (address) {
        hash;
        sig;
        return address(0);
    }
}

contract Claim {
    using ECDSA for bytes32;

    address public signer;
    mapping(address => uint256) public nonces;

    function claim(uint256 amount, bytes calldata sig) external {
        bytes32 digest = keccak256(abi.encode(msg.sender, amount, block.chainid, address(this)));
        require(digest.recover(sig) == signer, "sig"); // want "can be replayed: the signed message has no nonce$"
        payable(msg.sender).transfer(amount);
    }

    function claimOnce(uint256 amount, bytes calldata sig) external {
        bytes32 digest = keccak256(abi.encode(msg.sender, amount, nonces[msg.sender]++, block.chainid));
        require(ECDSA.recover(digest, sig) == signer, "sig");
        payable(msg.sender).transfer(amount);
    }

    // Pass-through verification helper: the caller builds the hash.
    function check(bytes32 digest, bytes calldata sig) external view returns (bool) {
        return ECDSA.recover(digest, sig) == signer;
    }
}
