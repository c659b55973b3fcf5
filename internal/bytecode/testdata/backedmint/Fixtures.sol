// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// Fixtures of the backed-mint test (behaviour walker and the risk engine's
// mint signal): compiled by compile.mjs with legacy codegen (optimizer off
// and on) and via-IR into runtimes.json.

import "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import "@openzeppelin/contracts/access/Ownable.sol";

// OpenZeppelin 5 ERC-4626: deposit/mint pull the asset with SafeERC20
// (inline assembly, selector at scratch memory 0) before minting.
contract BmOZVault is ERC4626 {
    constructor(IERC20 a) ERC20("Vault", "VLT") ERC4626(a) {}
}

// A minimal vault: the asset (immutable) is pulled with a high-level
// interface call before minting.
contract BmMiniVault is ERC20 {
    IERC20 public immutable asset;

    constructor(IERC20 a) ERC20("Mini", "MINI") {
        asset = a;
    }

    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        uint256 supply = totalSupply();
        uint256 held = asset.balanceOf(address(this));
        shares = supply == 0 || held == 0 ? assets : (assets * supply) / held;
        require(asset.transferFrom(msg.sender, address(this), assets), "pull");
        _mint(receiver, shares);
    }

    function redeem(uint256 shares, address receiver) external returns (uint256 assets) {
        assets = (shares * asset.balanceOf(address(this))) / totalSupply();
        _burn(msg.sender, shares);
        require(asset.transfer(receiver, assets), "push");
    }
}

// A vault that mints first and then pulls the asset (kept in storage) with
// abi.encodeWithSelector and a low-level call.
contract BmLowLevelVault is ERC20 {
    address public asset;

    constructor(address a) ERC20("Low", "LOW") {
        asset = a;
    }

    function deposit(uint256 assets) external {
        _mint(msg.sender, assets);
        (bool ok, bytes memory r) = asset.call(abi.encodeWithSelector(0x23b872dd, msg.sender, address(this), assets));
        require(ok && (r.length == 0 || abi.decode(r, (bool))), "pull");
    }
}

// An owner-only mint: the owner prints tokens.
contract BmOwnerMint is ERC20, Ownable {
    constructor() ERC20("Own", "OWN") Ownable(msg.sender) {}

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}

interface IBmNotifier {
    function notify(address who, uint256 amount) external;
}

// A public mint that makes unrelated external calls (one of them a
// transferFrom that pays the caller) and takes nothing from the caller.
contract BmFreeMintCalls is ERC20 {
    IERC20 public immutable reward;
    IBmNotifier public immutable notifier;

    constructor(IERC20 r, IBmNotifier n) ERC20("Free", "FREE") {
        reward = r;
        notifier = n;
    }

    function mint(address to, uint256 amount) external {
        notifier.notify(msg.sender, amount);
        reward.transferFrom(address(this), msg.sender, 1);
        _mint(to, amount);
    }
}

// A "deposit" of a token the caller chooses: anyone can pay with a
// worthless token of their own, so it is a free mint.
contract BmAnyTokenVault is ERC20 {
    constructor() ERC20("Any", "ANY") {}

    function deposit(IERC20 token, uint256 amount) external {
        require(token.transferFrom(msg.sender, address(this), amount), "pull");
        _mint(msg.sender, amount);
    }
}

// Paid mints: a fixed price per token (msg.value == price * n) and an
// amount derived from msg.value.
contract BmPaidMint is ERC20 {
    uint256 public price = 0.01 ether;

    constructor() ERC20("Paid", "PAID") {}

    function mint(uint256 n) external payable {
        require(msg.value == price * n, "price");
        _mint(msg.sender, n);
    }

    function wrap() external payable {
        _mint(msg.sender, msg.value * 1000);
    }
}
