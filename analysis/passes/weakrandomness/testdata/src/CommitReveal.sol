// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// A commit-reveal draw: the request stores a commitment to a future block
// number; the reveal uses that block's hash only after checking the
// caller-supplied number against the commitment. The block was fixed
// before its hash existed: not weak randomness.
contract CommitRevealDraw {
    mapping(uint256 => bytes32) public commitments;
    mapping(uint256 => uint256) public results;

    function request(uint256 id) external {
        commitments[id] = keccak256(abi.encode(id, block.number + 5, msg.sender));
    }

    function reveal(uint256 id, uint256 blockNum, address requester) external {
        bytes32 c = commitments[id];
        require(c != bytes32(0), "no request");
        require(c == keccak256(abi.encode(id, blockNum, requester)), "bad commitment");
        delete commitments[id];
        bytes32 h = blockhash(blockNum);
        require(h != bytes32(0), "too old");
        results[id] = uint256(keccak256(abi.encode(h, id)));
    }
}

// The same reveal without the commitment check: the caller picks any past
// block whose hash suits them.
contract UncommittedDraw {
    mapping(uint256 => uint256) public results;

    function reveal(uint256 id, uint256 blockNum) external {
        bytes32 h = blockhash(blockNum); // want "weak randomness"
        results[id] = uint256(h) % 100; // want "weak randomness"
    }
}
