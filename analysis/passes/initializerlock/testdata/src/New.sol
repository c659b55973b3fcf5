// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract Initializable {
    uint8 private _initialized;

    modifier initializer() {
        require(_initialized == 0, "init");
        _initialized = 1;
        _;
    }

    function _disableInitializers() internal {
        _initialized = type(uint8).max;
    }
}

abstract contract OwnableUpgradeable is Initializable {
    address public owner;

    function __Ownable_init(address o) internal {
        owner = o;
    }
}

contract TokenImpl is OwnableUpgradeable { // want "TokenImpl is an upgradeable implementation"
    uint256 public supply;

    constructor() {
        supply = 0;
    }

    function initialize(address o) external initializer {
        __Ownable_init(o);
    }
}

contract Token2Impl is OwnableUpgradeable { // want "Token2Impl is an upgradeable implementation"
    function initialize(address o) external initializer {
        __Ownable_init(o);
    }
}

// Safe: locked.
contract SafeImpl is OwnableUpgradeable {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    function initialize(address o) external initializer {
        __Ownable_init(o);
    }
}

// Safe: abstract base.
abstract contract BaseImpl is OwnableUpgradeable {
    function initialize(address o) external initializer {
        __Ownable_init(o);
    }
}
