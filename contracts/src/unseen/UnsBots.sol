// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {UnsSwapLib} from "./UnsSwapLib.sol";

interface IUnsVault {
    function advance(address token, uint256 amount, address taker, bytes calldata data) external;
}

/// @title UnsArbBot
/// @notice A benign arbitrage bot: buys on one pool and sells on another,
/// with its own funds or with an advance from the flash vault.
contract UnsArbBot {
    address public immutable owner;

    constructor() {
        owner = msg.sender;
    }

    function arb(address buyPool, address sellPool, address cash, address asset, uint256 amount) public {
        require(msg.sender == owner || msg.sender == address(this), "owner");
        uint256 got = UnsSwapLib.sell(buyPool, cash, amount);
        UnsSwapLib.sell(sellPool, asset, got);
    }

    function flashArb(address vault, address buyPool, address sellPool, address cash, address asset, uint256 amount)
        external
    {
        require(msg.sender == owner, "owner");
        IUnsVault(vault).advance(cash, amount, address(this), abi.encode(buyPool, sellPool, asset));
    }

    function onUnsAdvance(address token, uint256 amount, bytes calldata data) external {
        (address buyPool, address sellPool, address asset) = abi.decode(data, (address, address, address));
        uint256 got = UnsSwapLib.sell(buyPool, token, amount);
        UnsSwapLib.sell(sellPool, asset, got);
        IERC20(token).transfer(msg.sender, amount);
    }
}
