pragma solidity ^0.4.24;

contract Transfers {
    address owner;
    mapping(address => uint) public nonces;
    mapping(bytes32 => bool) used;

    function transferWithSig(address to, uint amount, uint8 v, bytes32 r, bytes32 s) public {
        bytes32 h = keccak256(to, amount);
        require(ecrecover(h, v, r, s) == owner); // want "can be replayed: the signed message has no nonce, chain id"
        to.transfer(amount);
    }

    function withNonce(address to, uint amount, uint8 v, bytes32 r, bytes32 s) public {
        bytes32 h = keccak256(to, amount, nonces[to]++, this);
        require(ecrecover(h, v, r, s) == owner);
        to.transfer(amount);
    }

    function withUsed(address to, uint amount, uint8 v, bytes32 r, bytes32 s) public {
        bytes32 h = keccak256(to, amount, this);
        require(!used[h]);
        used[h] = true;
        require(ecrecover(h, v, r, s) == owner);
        to.transfer(amount);
    }
}
