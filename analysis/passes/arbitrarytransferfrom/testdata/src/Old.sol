pragma solidity ^0.4.24;

contract ERC20 {
    function transferFrom(address from, address to, uint256 value) public returns (bool);
}

contract Staking {
    ERC20 token;
    mapping(address => uint256) public staked;
    mapping(address => mapping(address => uint256)) allowed;

    function stakeFor(address from, uint256 amount) public {
        token.transferFrom(from, this, amount); // want "stakeFor moves tokens from the caller-chosen account from"
        staked[msg.sender] += amount;
    }

    function pull(address _from, address _to, uint256 _v) public {
        move(_from, _to, _v);
    }

    function move(address a, address b, uint256 v) internal {
        require(token.transferFrom(a, b, v)); // want "pull moves tokens"
    }

    // Safe: pulls from the caller.
    function stake(uint256 amount) public {
        token.transferFrom(msg.sender, this, amount);
        staked[msg.sender] += amount;
    }

    // Safe: the caller spends an allowance granted by from.
    function stakeFromAllowed(address from, uint256 amount) public {
        allowed[from][msg.sender] -= amount;
        token.transferFrom(from, this, amount);
    }
}
