pragma solidity 0.8.24;
contract Clean {
    uint256 public x;
    function set(uint256 v) external { x = v; }
}
