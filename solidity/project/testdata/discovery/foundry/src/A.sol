pragma solidity ^0.8.0;
import "dep/Dep.sol";
import "./lib/Helper.sol";
contract A is Dep {}
