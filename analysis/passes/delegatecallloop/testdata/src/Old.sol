pragma solidity ^0.4.24;

contract OldBatch {
    address public lib;

    function batch(bytes[] calls) public payable {
        for (uint i = 0; i < calls.length; i++) {
            require(lib.delegatecall(calls[i])); // want "delegatecall"
        }
    }

    function batchNP(bytes[] calls) public {
        for (uint i = 0; i < calls.length; i++) {
            require(lib.delegatecall(calls[i]));
        }
    }
}
