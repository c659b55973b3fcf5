// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Token.sol";

// Negative: OpenZeppelin-style virtual shares and assets.
contract OffsetVault is Shares {
    IERC20 public asset;

    function totalAssets() public view returns (uint256) {
        return asset.balanceOf(address(this));
    }

    function _decimalsOffset() internal pure returns (uint8) {
        return 6;
    }

    function convertToShares(uint256 assets) public view returns (uint256) {
        return assets * (totalSupply + 10 ** _decimalsOffset()) / (totalAssets() + 1);
    }

    function deposit(uint256 assets) external {
        asset.transferFrom(msg.sender, address(this), assets);
        _mint(msg.sender, convertToShares(assets));
    }
}

// Negative: internal accounting; donations are skimmed, never priced.
contract AccountingVault is Shares {
    IERC20 public asset;
    uint256 public managed;

    function totalAssets() public view returns (uint256) {
        return managed;
    }

    function deposit(uint256 assets) external {
        uint256 shares = totalSupply == 0 ? assets : assets * totalSupply / totalAssets();
        managed += assets;
        asset.transferFrom(msg.sender, address(this), assets);
        _mint(msg.sender, shares);
    }

    function surplus() external view returns (uint256) {
        return asset.balanceOf(address(this)) - managed;
    }
}

// Negative: Uniswap V2 pair; minimum liquidity is burned on the first mint.
contract Pair is Shares {
    uint256 public constant MINIMUM_LIQUIDITY = 1000;
    IERC20 public token0;
    uint112 private reserve0;

    function mint(address to) external returns (uint256 liquidity) {
        uint256 balance0 = token0.balanceOf(address(this));
        uint256 amount0 = balance0 - reserve0;
        if (totalSupply == 0) {
            liquidity = amount0 - MINIMUM_LIQUIDITY;
            _mint(address(0), MINIMUM_LIQUIDITY);
        } else {
            liquidity = amount0 * totalSupply / reserve0;
        }
        _mint(to, liquidity);
        reserve0 = uint112(balance0);
    }
}

// Negative: payment splitter with fixed shares; donations are income.
contract Splitter {
    uint256 private _totalShares;
    uint256 private _totalReleased;
    mapping(address => uint256) private _shares;
    mapping(address => uint256) private _released;

    constructor(address[] memory payees, uint256[] memory shares_) {
        for (uint256 i = 0; i < payees.length; i++) {
            _shares[payees[i]] = shares_[i];
            _totalShares += shares_[i];
        }
    }

    function release(address payable account) external {
        uint256 totalReceived = address(this).balance + _totalReleased;
        uint256 payment = totalReceived * _shares[account] / _totalShares - _released[account];
        _released[account] += payment;
        _totalReleased += payment;
        account.transfer(payment);
    }
}
