// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title SigReplayBridge
/// @notice The release side of a lock-and-release token bridge: a validator
/// signs (recipient, amount, deposit id) for each deposit seen on the other
/// chain and anyone can submit the signature to release the tokens.
/// Re-creates signature replay through malleability and a used-signature
/// registry (TCH Token, May 2024; SWC-117/SWC-121): the vulnerable variant
/// marks the *signature bytes* as used and accepts high-s signatures, so
/// the (r, n - s, v ^ 1) twin of a spent signature releases the deposit a
/// second time.
contract SigReplayBridge is Guarded {
    /// @notice The bridged token.
    IERC20 public immutable token;
    /// @notice The validator's address.
    address public validator;
    /// @notice True for the fixed variant: used messages, low-s only.
    bool public immutable strict;
    /// @notice Used signatures (vulnerable) or messages (fixed).
    mapping(bytes32 => bool) public used;

    uint256 private constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @notice Emitted when a deposit is released.
    event Released(address indexed to, uint256 amount, uint256 indexed depositId);
    /// @notice The signature or message was already used.
    error AlreadyUsed(bytes32 key);
    /// @notice The signature does not recover to the validator.
    error BadSignature(address recovered);

    /// @param token_ The bridged token.
    /// @param validator_ The validator.
    /// @param guardian_ The pause guardian.
    /// @param strict_ True for the fixed variant.
    constructor(IERC20 token_, address validator_, address guardian_, bool strict_) Guarded(guardian_) {
        token = token_;
        validator = validator_;
        strict = strict_;
    }

    /// @notice The EIP-191 digest the validator signs.
    function releaseDigest(address to, uint256 amount, uint256 depositId) public view returns (bytes32) {
        bytes32 inner = keccak256(abi.encode(block.chainid, address(this), to, amount, depositId));
        return keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", inner));
    }

    /// @notice Releases `amount` to `to` for deposit `depositId`.
    function release(address to, uint256 amount, uint256 depositId, uint8 v, bytes32 r, bytes32 s) external whenNotPaused {
        bytes32 digest = releaseDigest(to, amount, depositId);
        // VULNERABLE: the replay key is the signature, and ECDSA signatures
        // are malleable: (r, n - s, v ^ 1) is a second valid signature of
        // the same message.
        bytes32 key = strict ? digest : keccak256(abi.encodePacked(r, s, v));
        if (used[key]) revert AlreadyUsed(key);
        if (strict && uint256(s) > HALF_N) revert BadSignature(address(0));
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0) || signer != validator) revert BadSignature(signer);
        used[key] = true;
        token.transfer(to, amount);
        emit Released(to, amount, depositId);
    }
}
