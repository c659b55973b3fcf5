// Negative: libraries and interfaces meant for reuse may float.
pragma solidity ^0.8.0;

interface IToken { function balanceOf(address) external view returns (uint256); }
library Math { function max(uint a, uint b) internal pure returns (uint) { return a > b ? a : b; } }
