pragma solidity 0.8.13; // want "compiler version 0.8.13 has known bugs: StorageWriteRemoval.*InlineAssembly.*AbiReencoding"

contract Buggy {}
