// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract NaiveProxy {
    address public implementation; // want "proxy NaiveProxy keeps NaiveProxy.implementation, NaiveProxy.admin in ordinary storage slots"
    address public admin;

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

// Mirrored layout (Safe): the singleton repeats the proxy's slot-0
// variable, so the two agree on it.
contract MirrorSingleton {
    address private singleton;
}

contract MirrorSafe is MirrorSingleton {
    address internal owner0;
    uint256 public nonce;

    function execTransaction() external {
        nonce++;
    }
}

contract MirrorSafeProxy {
    address internal singleton;

    constructor(address s) {
        singleton = s;
    }

    fallback() external payable {
        assembly {
            let target := and(sload(0), 0xffffffffffffffffffffffffffffffffffffffff)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok case 0 { revert(0, returndatasize()) } default { return(0, returndatasize()) }
        }
    }
}

// Mirrored with packing: the delegate skips the packed bool, which it never
// overlaps, and repeats the rest (Chainlink CronUpkeep / CronUpkeepDelegate).
contract CronLikeDelegate {
    address private s_owner;
    address private s_delegate;
    uint256 private s_nextJobID;
    mapping(uint256 => uint256) private s_lastRuns;
}

contract CronLike {
    address private s_owner;
    address private s_pendingOwner;
    bool private _paused;
    uint256 private s_nextJobID = 1;
    mapping(uint256 => uint256) private s_lastRuns;
    mapping(uint256 => bytes32) private s_handlerSignatures;
    address immutable s_delegate;

    constructor(address d) {
        s_delegate = d;
    }

    fallback() external {
        (bool ok, ) = s_delegate.delegatecall(msg.data);
        require(ok);
    }
}

// Positive: the would-be implementation puts a different type in the
// proxy's slot 1.
contract ClashImpl {
    address private s_owner;
    uint96 private s_counter;
    uint256 private s_total;
}

contract ClashProxy {
    address private s_owner; // want "proxy ClashProxy keeps ClashProxy.s_owner, ClashProxy.s_target in ordinary storage slots"
    address private s_target;

    fallback() external {
        (bool ok, ) = s_target.delegatecall(msg.data);
        require(ok);
    }
}
