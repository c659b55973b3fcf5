pragma solidity ^0.8.20; // want "floating pragma \"\\^0.8.20\""
pragma abicoder v2;

contract Floating {}
