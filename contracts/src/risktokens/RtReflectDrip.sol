// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RtReflectDrip
/// @notice Honest RFI-style reflection token: every transfer pays a fixed 2%
/// fee that is redistributed to all holders by shrinking the reflected
/// supply. No owner, fee fixed in code; only the deployer (the liquidity
/// provider) is exempt.
contract RtReflectDrip {
    string public constant name = "Reflect Drip";
    string public constant symbol = "DRIP";
    uint8 public constant decimals = 9;

    uint256 private constant MAX = ~uint256(0);
    uint256 private constant _tTotal = 1_000_000_000 * 10 ** 9;
    uint256 private _rTotal = (MAX - (MAX % _tTotal));
    uint256 private _tFeeTotal;
    uint256 private constant _TAX_FEE = 2;
    address private immutable _deployer;

    mapping(address => uint256) private _rOwned;
    mapping(address => mapping(address => uint256)) private _allowances;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor() {
        _deployer = msg.sender;
        _rOwned[msg.sender] = _rTotal;
        emit Transfer(address(0), msg.sender, _tTotal);
    }

    function totalSupply() external pure returns (uint256) {
        return _tTotal;
    }

    function totalFees() external view returns (uint256) {
        return _tFeeTotal;
    }

    function balanceOf(address account) public view returns (uint256) {
        return _rOwned[account] / _getRate();
    }

    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address recipient, uint256 amount) external returns (bool) {
        _transfer(msg.sender, recipient, amount);
        return true;
    }

    function transferFrom(address sender, address recipient, uint256 amount) external returns (bool) {
        uint256 a = _allowances[sender][msg.sender];
        require(a >= amount, "ERC20: transfer amount exceeds allowance");
        if (a != type(uint256).max) _allowances[sender][msg.sender] = a - amount;
        _transfer(sender, recipient, amount);
        return true;
    }

    function _getRate() private view returns (uint256) {
        return _rTotal / _tTotal;
    }

    function _transfer(address sender, address recipient, uint256 tAmount) private {
        require(sender != address(0) && recipient != address(0), "zero address");
        uint256 rate = _getRate();
        uint256 tFee = (sender == _deployer || recipient == _deployer) ? 0 : tAmount * _TAX_FEE / 100;
        uint256 rAmount = tAmount * rate;
        uint256 rFee = tFee * rate;
        require(_rOwned[sender] >= rAmount, "ERC20: transfer amount exceeds balance");
        _rOwned[sender] -= rAmount;
        _rOwned[recipient] += rAmount - rFee;
        _rTotal -= rFee;
        _tFeeTotal += tFee;
        emit Transfer(sender, recipient, tAmount - tFee);
    }
}
