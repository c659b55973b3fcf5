// Negative: a pinned, bug-free version.
pragma solidity 0.8.24;

contract Pinned {}
