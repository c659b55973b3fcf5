pragma solidity 0.4.19; // want "0.4.19 has known bugs: pre-0.4.24"

contract Old {}
