pragma solidity ^0.4.24;

contract Permit {
    mapping(address => mapping(address => uint256)) public allowance;
    address public signer;

    function permit(address owner, address spender, uint256 value, uint8 v, bytes32 r, bytes32 s) public {
        bytes32 digest = keccak256(abi.encodePacked(owner, spender, value));
        require(owner == ecrecover(digest, v, r, s)); // want "ecrecover result is compared with owner"
        allowance[owner][spender] = value;
    }

    function claim(bytes32 h, uint8 v, bytes32 r, bytes32 s) public {
        address rec = ecrecover(h, v, r, s); // want "compared with signer"
        require(rec == signer);
        msg.sender.transfer(1 ether);
    }

    // Safe: zero checked.
    function permitChecked(address owner, address spender, uint256 value, uint8 v, bytes32 r, bytes32 s) public {
        bytes32 digest = keccak256(abi.encodePacked(owner, spender, value));
        address rec = ecrecover(digest, v, r, s);
        require(rec != address(0) && rec == owner);
        allowance[owner][spender] = value;
    }

    // Safe: compared with the caller, which is never zero.
    function self(bytes32 h, uint8 v, bytes32 r, bytes32 s) public view returns (bool) {
        return ecrecover(h, v, r, s) == msg.sender;
    }
}
