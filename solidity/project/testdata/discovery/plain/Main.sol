pragma solidity ^0.8.0;
import "./lib/Math.sol";
contract Main {}
