// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract UUPSUpgradeable {
    function _authorizeUpgrade(address newImplementation) internal virtual;

    function upgradeToAndCall(address newImplementation, bytes memory data) external payable {
        _authorizeUpgrade(newImplementation);
        data;
    }
}

contract BadVault is UUPSUpgradeable {
    function _authorizeUpgrade(address) internal override {} // want "_authorizeUpgrade is empty"
}

contract GoodVault is UUPSUpgradeable {
    address public owner;

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    function _authorizeUpgrade(address) internal override onlyOwner {}
}

contract GoodVault2 is UUPSUpgradeable {
    address public owner;

    function _authorizeUpgrade(address) internal view override {
        require(msg.sender == owner);
    }
}

contract SlotProxy {
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    address public admin;

    function upgradeTo(address impl) external { // want "upgradeTo lets anyone write the implementation slot"
        assembly {
            sstore(IMPLEMENTATION_SLOT, impl)
        }
    }

    function upgradeToSafe(address impl) external {
        require(msg.sender == admin);
        assembly {
            sstore(IMPLEMENTATION_SLOT, impl)
        }
    }
}
