// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title LaunderMixerPool
/// @notice Testbed fixed-denomination mixer for the laundering scenarios of
/// `aegis trace`: a depositor sends exactly `denomination` wei with a note
/// commitment (keccak256 of a secret); anyone holding the secret withdraws
/// the denomination to any (fresh) address. No zero-knowledge proof: the
/// on-chain link between deposit and withdrawal is only the secret, which
/// is what a tracer sees of a real mixer too.
contract LaunderMixerPool {
    uint256 public immutable denomination;
    mapping(bytes32 => bool) public commitments;
    mapping(bytes32 => bool) public spent;

    event NoteDeposited(bytes32 indexed commitment, uint256 leafIndex, uint256 timestamp);
    event NoteWithdrawn(address to, bytes32 nullifier);

    uint256 public deposits;

    constructor(uint256 _denomination) {
        require(_denomination > 0, "denomination");
        denomination = _denomination;
    }

    function deposit(bytes32 commitment) external payable {
        require(msg.value == denomination, "wrong amount");
        require(!commitments[commitment], "duplicate note");
        commitments[commitment] = true;
        emit NoteDeposited(commitment, deposits++, block.timestamp);
    }

    function withdraw(bytes32 secret, address payable to) external {
        bytes32 c = keccak256(abi.encodePacked(secret));
        require(commitments[c], "unknown note");
        require(!spent[c], "spent");
        spent[c] = true;
        (bool ok,) = to.call{value: denomination}("");
        require(ok, "send failed");
        emit NoteWithdrawn(to, c);
    }
}
