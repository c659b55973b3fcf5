// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Payer {
    function pay(address payable to) external {
        to.send(1 ether); // want "send"
    }

    function payChecked(address payable to) external {
        bool ok = to.send(1 ether);
        require(ok);
    }
}
