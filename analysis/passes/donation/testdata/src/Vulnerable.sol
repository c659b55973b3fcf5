// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import "./Token.sol";

// Positive (High): ERC-4626-style vault priced by its balance.
contract NaiveVault is Shares {
    IERC20 public asset;

    function totalAssets() public view returns (uint256) {
        return asset.balanceOf(address(this)); // want "first-depositor inflation"
    }

    function convertToShares(uint256 assets) public view returns (uint256) {
        uint256 supply = totalSupply;
        return supply == 0 ? assets : assets * supply / totalAssets();
    }

    function deposit(uint256 assets) external returns (uint256 shares) {
        shares = convertToShares(assets);
        asset.transferFrom(msg.sender, address(this), assets);
        _mint(msg.sender, shares);
    }
}

// Positive (Medium): Compound-style exchange rate from cash.
contract CashMarket {
    IERC20 public underlying;
    uint256 public totalShares;
    uint256 public totalBorrows;
    uint256 public totalReserves;
    mapping(address => uint256) public sharesOf;

    function getCash() public view returns (uint256) {
        return underlying.balanceOf(address(this)); // want "own balance as total assets"
    }

    function exchangeRate() public view returns (uint256) {
        if (totalShares == 0) return 1e18;
        return (getCash() + totalBorrows - totalReserves) * 1e18 / totalShares;
    }

    function supply(uint256 amount) external {
        uint256 minted = amount * 1e18 / exchangeRate();
        totalShares += minted;
        sharesOf[msg.sender] += minted;
        underlying.transferFrom(msg.sender, address(this), amount);
    }
}

// Positive (Medium): ETH pool whose shares are priced by address(this).balance.
contract EthPool is Shares {
    function join() external payable {
        uint256 pooled = address(this).balance - msg.value; // want "own balance"
        uint256 shares = totalSupply == 0 ? msg.value : msg.value * totalSupply / pooled;
        _mint(msg.sender, shares);
    }
}
