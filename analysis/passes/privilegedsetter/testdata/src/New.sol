// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

interface IOracle {
    function price() external view returns (uint256);
}

contract Market {
    IOracle public oracle;
    address public keeperBot;
    mapping(address => mapping(address => bool)) public operatorApproved;
    address public gov;

    constructor(IOracle o) {
        oracle = o;
        gov = msg.sender;
    }

    function setOracle(IOracle o) external { // want "setOracle lets anyone set privileged state variable oracle"
        _setOracle(o);
    }

    function _setOracle(IOracle o) internal {
        oracle = o;
    }

    // keeperBot is privileged because it is used in an access check.
    function setKeeper(address k) external { // want "keeperBot"
        keeperBot = k;
    }

    function poke() external {
        require(msg.sender == keeperBot);
    }

    // User-scoped setting: fine.
    function approveOperator(address op) external {
        operatorApproved[msg.sender][op] = true;
    }

    function setGov(address g) external {
        require(msg.sender == gov);
        gov = g;
    }
}
