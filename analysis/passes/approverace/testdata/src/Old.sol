pragma solidity ^0.4.24;

contract ERC20 {
    mapping(address => mapping(address => uint256)) private _allowed;

    function approve(address spender, uint256 value) public returns (bool) { // want "approve overwrites the allowance"
        require(spender != address(0));
        _allowed[msg.sender][spender] = value;
        return true;
    }
}

contract SafeERC20Token {
    mapping(address => mapping(address => uint256)) allowed;

    function approve(address _spender, uint256 _value) public returns (bool) {
        require((_value == 0) || (allowed[msg.sender][_spender] == 0));
        allowed[msg.sender][_spender] = _value;
        return true;
    }
}
