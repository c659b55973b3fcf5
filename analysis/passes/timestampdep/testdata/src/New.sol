// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Sale {
    uint256 public end;
    uint256 public start;

    function finished() public view returns (bool) {
        return block.timestamp >= end;
    }

    function exact() public view returns (bool) {
        uint256 t = block.timestamp;
        if (t == end) { // want "strict comparison"
            return true;
        }
        return false;
    }

    function buy() external payable {
        require(block.timestamp >= start && block.timestamp < end, "closed");
        require(start != 0);
    }
}
