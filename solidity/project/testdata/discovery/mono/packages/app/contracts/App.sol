pragma solidity ^0.8.0;
import "@oz/Token.sol";
contract App is Token {}
