// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IOracle {
    function price() external view returns (uint256);
}

contract Config {
    address public owner;
    address public treasury;
    IOracle public oracle;
    address public lastCaller;
    uint256 public fee;

    error ZeroAddress();

    constructor(address owner_, address treasury_) {
        owner = owner_; // want "stores owner_ into Config.owner without checking"
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
    }

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    modifier nonZero(address a) {
        require(a != address(0));
        _;
    }

    function setOracle(address oracle_) external onlyOwner {
        oracle = IOracle(oracle_); // want "address\\(0\\)"
    }

    function setTreasury(address t) external onlyOwner nonZero(t) {
        treasury = t;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "zero");
        owner = newOwner;
    }

    function poke(address who) external {
        lastCaller = who;
    }
}
