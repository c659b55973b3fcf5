// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract NaiveProxy {
    address public implementation; // want "proxy NaiveProxy keeps NaiveProxy.implementation"
    address public admin; // want "ordinary storage slot"

    constructor(address impl) {
        implementation = impl;
        admin = msg.sender;
    }

    fallback() external payable {
        (bool ok, bytes memory ret) = implementation.delegatecall(msg.data);
        require(ok, string(ret));
    }
}

contract Eip1967Proxy {
    bytes32 internal constant IMPL_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    fallback() external payable {
        assembly {
            let impl := sload(IMPL_SLOT)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok case 0 { revert(0, returndatasize()) } default { return(0, returndatasize()) }
        }
    }
}

// Shared layout: wallet and library inherit the same storage contract.
contract WalletStorage {
    address public owner;
    address public library_;
}

contract Wallet is WalletStorage {
    fallback() external payable {
        (bool ok,) = library_.delegatecall(msg.data);
        require(ok);
    }
}

contract WalletLibrary is WalletStorage {
    function setOwner(address o) external {
        owner = o;
    }
}
