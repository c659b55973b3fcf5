// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Market {
    address public owner;
    uint256 public feeBps;
    address public oracle;
    uint256 public counter;

    event FeeChanged(uint256 oldFee, uint256 newFee);

    modifier onlyOwner() {
        require(msg.sender == owner, "owner");
        _;
    }

    function setOracle(address o) external onlyOwner { // want "changes Market.oracle without emitting an event"
        oracle = o;
    }

    function setFee(uint256 bps) external onlyOwner {
        emit FeeChanged(feeBps, bps);
        feeBps = bps;
    }

    function transferOwnership(address o) external { // want "Market.owner"
        require(msg.sender == owner, "owner");
        _setOwner(o);
    }

    function _setOwner(address o) internal {
        owner = o;
    }

    function bump() external onlyOwner {
        counter++;
    }

    function setFeeUnprotected(uint256 bps) external {
        feeBps = bps;
    }
}
