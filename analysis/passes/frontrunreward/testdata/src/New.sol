// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Puzzle {
    bytes32 public answerHash;

    function submit(bytes calldata answer) external {
        if (keccak256(answer) == answerHash) { // want "pays whoever submits the preimage"
            payable(msg.sender).transfer(address(this).balance);
        }
    }

    function verifyOnly(bytes calldata answer) external view returns (bool) {
        return keccak256(answer) == answerHash;
    }
}
