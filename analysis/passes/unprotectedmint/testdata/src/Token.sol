// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

interface IERC20 {
    function transferFrom(address a, address b, uint256 c) external returns (bool);
}

contract Token {
    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;
    address public owner;
    IERC20 public underlying;

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    function _mint(address to, uint256 amount) internal {
        totalSupply += amount;
        balanceOf[to] += amount;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount); // want "mint lets anyone mint an arbitrary amount"
    }

    function ownerMint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    // Wrapper: takes the underlying first.
    function depositFor(address to, uint256 amount) external {
        underlying.transferFrom(msg.sender, address(this), amount);
        _mint(to, amount);
    }

    // Fixed faucet amount: not caller-chosen.
    function faucet() external {
        _mint(msg.sender, 1e18);
    }
}
