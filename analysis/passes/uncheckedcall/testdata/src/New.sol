// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Modern {
    function pay(address to, uint256 v) external {
        to.call{value: v}(""); // want "low-level call"
        (bool ok, ) = to.call{value: v}(""); // want "not checked"
    }

    // Negative cases.
    function payChecked(address to, uint256 v) external {
        (bool ok, ) = to.call{value: v}("");
        require(ok, "failed");
    }

    function payReturned(address to, uint256 v) external returns (bool) {
        (bool success, ) = to.call{value: v}("");
        return success;
    }
}
