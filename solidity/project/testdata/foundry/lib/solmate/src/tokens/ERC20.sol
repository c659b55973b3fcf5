pragma solidity >=0.8.0;

abstract contract ERC20 {}
