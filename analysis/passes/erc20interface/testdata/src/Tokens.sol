pragma solidity ^0.4.24;

contract BadToken {
    mapping(address => uint256) public balances;

    function transfer(address to, uint256 v) public { // want "transfer\\(address,uint256\\) returns \\(\\) instead of \\(bool\\)"
        balances[msg.sender] -= v;
        balances[to] += v;
    }

    function balanceOf(address a) public view returns (bool) { // want "balanceOf"
        return balances[a] > 0;
    }

    function totalSupply() public view returns (uint256) {
        return 0;
    }
}

contract GoodToken {
    mapping(address => uint256) public balances;

    function transfer(address to, uint256 v) public returns (bool) {
        balances[msg.sender] -= v;
        balances[to] += v;
        return true;
    }

    function balanceOf(address a) public view returns (uint256) {
        return balances[a];
    }

    function totalSupply() public view returns (uint256) {
        return 0;
    }
}

contract Unrelated {
    function transfer(address to, uint256 v) public {
        to.transfer(v);
    }
}
