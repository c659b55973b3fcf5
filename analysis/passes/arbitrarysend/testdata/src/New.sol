// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Vault {
    address public owner;
    mapping(address => bool) public approved;

    modifier onlyOwner() {
        require(msg.sender == owner, "owner");
        _;
    }

    function sweep(address payable to) external {
        (bool ok, ) = to.call{value: address(this).balance}(""); // want "sweep sends Ether"
        require(ok);
    }

    function rescue(address payable to, uint256 amount) external {
        bool ok = to.send(amount); // want "rescue sends Ether"
        require(ok);
    }

    // Safe: guarded.
    function adminSweep(address payable to) external onlyOwner {
        to.transfer(address(this).balance);
    }

    // Safe: recipient on an allowlist.
    function payApproved(address payable to, uint256 amount) external {
        require(approved[to], "not approved");
        to.transfer(amount);
    }

    // Safe: pays the caller.
    function claim() external {
        payable(msg.sender).transfer(1 ether);
    }
}

// ERC-4337 StakeManager: the caller withdraws its own deposit, booked
// through a storage pointer to its record.
contract StakeManagerLike {
    struct DepositInfo {
        uint112 deposit;
        uint112 stake;
    }
    mapping(address => DepositInfo) public deposits;
    mapping(address => DepositInfo) internal pool;

    function withdrawTo(address payable withdrawAddress, uint256 withdrawAmount) external {
        DepositInfo storage info = deposits[msg.sender];
        require(withdrawAmount <= info.deposit, "Withdraw amount too large");
        info.deposit = uint112(info.deposit - withdrawAmount);
        (bool success, ) = withdrawAddress.call{value: withdrawAmount}("");
        require(success, "failed to withdraw");
    }

    // Positive: the pointer is to an account the caller names, not its own.
    function withdrawFrom(address account, address payable withdrawAddress, uint256 withdrawAmount) external {
        DepositInfo storage info = pool[account];
        info.deposit = uint112(info.deposit - withdrawAmount);
        (bool success, ) = withdrawAddress.call{value: withdrawAmount}(""); // want "withdrawFrom sends Ether to the caller-chosen address withdrawAddress"
        require(success, "failed to withdraw");
    }
}

// Chainlink EthBalanceMonitor: recipients must be registered targets,
// tested through a memory copy of their record.
contract BalanceMonitorLike {
    struct Target {
        bool isActive;
        uint96 minBalanceWei;
        uint96 topUpAmountWei;
    }
    mapping(address => Target) internal s_targets;

    function topUp(address[] memory needsFunding) public {
        Target memory target;
        for (uint256 idx = 0; idx < needsFunding.length; idx++) {
            target = s_targets[needsFunding[idx]];
            if (target.isActive && needsFunding[idx].balance < target.minBalanceWei) {
                bool success = payable(needsFunding[idx]).send(target.topUpAmountWei);
                require(success);
            }
        }
    }

    function topUpOne(address payable who) external {
        Target memory target = s_targets[who];
        require(target.isActive);
        who.transfer(target.topUpAmountWei);
    }

    // Positive: the record tested is not the recipient's.
    function topUpOther(address payable who, address registered) external {
        Target memory target = s_targets[registered];
        require(target.isActive);
        who.transfer(target.topUpAmountWei); // want "topUpOther sends Ether to the caller-chosen address who"
    }
}
