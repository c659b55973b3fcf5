// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IHook {
    function notify(uint256) external;
    function peek() external view returns (uint256);
}

contract Distributor {
    address payable[] public payees;
    IHook[] public hooks;

    function distribute() external {
        for (uint256 i = 0; i < payees.length; i++) {
            (bool ok, ) = payees[i].call{value: 1}(""); // want "external call inside a loop"
            require(ok);
        }
        for (uint256 i = 0; i < hooks.length; i++) {
            hooks[i].notify(i); // want "notify inside a loop"
        }
    }

    // Negative: view calls.
    function sum() external view returns (uint256 s) {
        for (uint256 i = 0; i < hooks.length; i++) {
            s += hooks[i].peek();
        }
    }
}
