pragma solidity ^0.8.0;
library Math {}
