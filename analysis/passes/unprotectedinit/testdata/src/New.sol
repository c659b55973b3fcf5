// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract Initializable {
    bool private _initialized;

    modifier initializer() {
        require(!_initialized, "done");
        _initialized = true;
        _;
    }
}

contract Vault is Initializable {
    address public owner;
    address public asset;
    bool public initialized;

    function initialize(address o, address a) external { // want "initialize can be called by anyone to \\(re\\)initialize owner, asset"
        owner = o;
        asset = a;
    }

    function initializeGuarded(address o) external initializer {
        owner = o;
    }

    function initOnce(address o) external {
        require(!initialized);
        initialized = true;
        owner = o;
    }
}
