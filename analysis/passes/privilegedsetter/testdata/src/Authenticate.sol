// SPDX-License-Identifier: MIT
pragma solidity ^0.7.0;

interface IAuthorizer {
    function canPerform(bytes32 actionId, address account, address where) external view returns (bool);
}

function _require(bool condition, uint256 errorCode) pure {
    if (!condition) revert(string(abi.encodePacked(errorCode)));
}

// Balancer-style access control: a modifier calling an internal function
// that asserts, through a custom _require, a predicate of msg.sender
// answered by an authorizer.
abstract contract Authentication {
    modifier authenticate() {
        _authenticateCaller();
        _;
    }

    function _authenticateCaller() internal view {
        bytes32 actionId = keccak256(abi.encodePacked(msg.sig));
        _require(_canPerform(actionId, msg.sender), 401);
    }

    function _canPerform(bytes32 actionId, address user) internal view virtual returns (bool);
}

contract FeesCollector is Authentication {
    IAuthorizer public authorizer;
    uint256 public swapFeePercentage;
    uint256 public flashLoanFeePercentage;
    mapping(address => mapping(address => bool)) public isOperator;

    constructor(IAuthorizer a) {
        authorizer = a;
    }

    // Negative: protected by authenticate.
    function setSwapFeePercentage(uint256 fee) external authenticate {
        swapFeePercentage = fee;
    }

    // Positive: no modifier.
    function setFlashLoanFeePercentage(uint256 fee) external { // want "setFlashLoanFeePercentage lets anyone set privileged state variable flashLoanFeePercentage"
        flashLoanFeePercentage = fee;
    }

    // Negative: protected by an inline predicate of the caller.
    function setAuthorizer(IAuthorizer a) external {
        require(_canPerform(bytes32(0), msg.sender), "denied");
        authorizer = a;
    }

    // Negative: the caller only configures its own entry (ERC-6909 operators).
    function setOperator(address operator, bool approved) external returns (bool) {
        isOperator[msg.sender][operator] = approved;
        return true;
    }

    function _canPerform(bytes32 actionId, address user) internal view override returns (bool) {
        return authorizer.canPerform(actionId, user, address(this));
    }

    function poke(address owner) external view {
        require(isOperator[owner][msg.sender]);
    }
}
