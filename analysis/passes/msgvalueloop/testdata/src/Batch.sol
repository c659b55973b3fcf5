// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Shop {
    mapping(address => uint256) public credit;
    uint256 public price = 1 ether;

    function buyMany(address[] calldata to) external payable {
        for (uint256 i = 0; i < to.length; i++) {
            credit[to[i]] += msg.value; // want "msg.value read inside a loop"
        }
    }

    // Negative: read once.
    function buyOnce(address[] calldata to) external payable {
        uint256 share = msg.value / to.length;
        for (uint256 i = 0; i < to.length; i++) {
            credit[to[i]] += share;
        }
    }
}

contract Multi {
    mapping(address => uint256) public balances;

    function multicall(bytes[] calldata data) external payable {
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, ) = address(this).delegatecall(data[i]);
            require(ok);
        }
    }

    function deposit() external payable {
        balances[msg.sender] += msg.value; // want "delegatecall multicall"
    }

    // Negative: not payable.
    function view1() external view returns (uint256) {
        return balances[msg.sender];
    }
}
