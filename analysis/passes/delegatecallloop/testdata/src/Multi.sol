// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Multi {
    function multicall(bytes[] calldata data) external payable returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, bytes memory r) = address(this).delegatecall(data[i]); // want "delegatecall inside a loop of payable"
            require(ok);
            results[i] = r;
        }
    }

    // Negative: not payable.
    function multicallNP(bytes[] calldata data) external {
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, ) = address(this).delegatecall(data[i]);
            require(ok);
        }
    }

    // Negative: no loop.
    function once(bytes calldata data) external payable {
        (bool ok, ) = address(this).delegatecall(data);
        require(ok);
    }
}
