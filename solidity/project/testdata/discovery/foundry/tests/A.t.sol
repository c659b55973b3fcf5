pragma solidity ^0.8.0;
import "../src/A.sol";
contract ATest {}
