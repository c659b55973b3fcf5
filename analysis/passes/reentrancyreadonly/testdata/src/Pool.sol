// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Pool {
    uint256 public totalSupply;
    uint256 public reserve;
    mapping(address => uint256) public lp;
    bool private locked;

    modifier nonReentrant() {
        require(!locked);
        locked = true;
        _;
        locked = false;
    }

    function getVirtualPrice() external view returns (uint256) {
        return reserve * 1e18 / totalSupply;
    }

    function removeLiquidity(uint256 amount) external nonReentrant {
        uint256 out = amount * reserve / totalSupply;
        (bool ok,) = msg.sender.call{value: out}(""); // want "read-only reentrancy: .* view Pool.getVirtualPrice"
        require(ok);
        lp[msg.sender] -= amount;
        totalSupply -= amount;
        reserve -= out;
    }

    // Negative: state is consistent during the call.
    function removeLiquiditySafe(uint256 amount) external nonReentrant {
        uint256 out = amount * reserve / totalSupply;
        lp[msg.sender] -= amount;
        totalSupply -= amount;
        reserve -= out;
        (bool ok,) = msg.sender.call{value: out}("");
        require(ok);
    }
}

contract CheckedPool {
    uint256 public totalSupply;
    uint256 public reserve;
    bool private locked;

    modifier nonReentrant() {
        require(!locked);
        locked = true;
        _;
        locked = false;
    }

    // Negative: the view refuses to answer while locked.
    function getVirtualPrice() external view returns (uint256) {
        require(!locked);
        return reserve * 1e18 / totalSupply;
    }

    function removeLiquidity(uint256 amount) external nonReentrant {
        uint256 out = amount * reserve / totalSupply;
        (bool ok,) = msg.sender.call{value: out}("");
        require(ok);
        totalSupply -= amount;
        reserve -= out;
    }
}
