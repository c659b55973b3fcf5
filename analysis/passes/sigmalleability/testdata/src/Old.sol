pragma solidity ^0.4.24;

contract PreSigned {
    mapping(bytes32 => bool) signatureUsed;
    mapping(address => uint256) balances;

    function transfer(bytes _signature, address _to, uint256 _value, uint256 _nonce) public returns (bool) {
        bytes32 txid = keccak256(abi.encodePacked(_to, _value, _nonce, _signature));
        require(!signatureUsed[txid]);
        address from = recover(keccak256(abi.encodePacked(_to, _value, _nonce)), _signature);
        require(from != address(0));
        balances[from] -= _value;
        balances[_to] += _value;
        signatureUsed[txid] = true;
        return true;
    }

    function recover(bytes32 hash, bytes sig) internal pure returns (address) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            v := byte(0, mload(add(sig, 96)))
        }
        return ecrecover(hash, v, r, s); // want "signature malleability"
    }
}

contract NonceSigned {
    mapping(address => uint256) nonces;

    // Safe: replay protection by nonce.
    function exec(bytes32 h, uint8 v, bytes32 r, bytes32 s) public {
        address signer = ecrecover(h, v, r, s);
        require(signer != address(0));
        nonces[signer]++;
    }
}
