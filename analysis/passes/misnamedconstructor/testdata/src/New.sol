// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Modern {
    address owner;

    constructor() {
        owner = msg.sender;
    }

    // Capitalized but in 0.8 code: not a leftover constructor.
    function Reset() public {
        require(msg.sender == owner);
        owner = msg.sender;
    }
}
