// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite, RtOwnable} from "./RtCommon.sol";

/// @title RtOperatorPull
/// @notice transferFrom skips the allowance check for one "operator".
contract RtOperatorPull is RtERC20Lite, RtOwnable {
    address private _operator;

    constructor() RtERC20Lite("Operator Pull", "OPULL", 18) {
        _operator = msg.sender;
        _mint(msg.sender, 3_000_000 ether);
    }

    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        if (!_isOperator(msg.sender)) _spendAllowance(from, msg.sender, amount);
        _transfer(from, to, amount);
        return true;
    }

    function _isOperator(address a) internal view returns (bool) {
        return a == _operator;
    }
}
