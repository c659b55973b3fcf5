contract Unused {}
