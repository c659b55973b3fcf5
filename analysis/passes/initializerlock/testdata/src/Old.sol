pragma solidity ^0.6.12;

contract Initializable {
    bool private initialized;

    modifier initializer() {
        require(!initialized);
        initialized = true;
        _;
    }
}

contract VaultV1 is Initializable { // want "VaultV1 is an upgradeable implementation"
    address public owner;

    function initialize(address _owner) public initializer {
        owner = _owner;
    }
}

// Safe: the constructor runs the initializer (pre-4.6 pattern).
contract VaultV2 is Initializable {
    address public owner;

    constructor() public initializer {}

    function initialize(address _owner) public initializer {
        owner = _owner;
    }
}
