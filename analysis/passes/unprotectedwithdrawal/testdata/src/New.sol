// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract Treasury {
    address public owner;
    IERC20 public token;
    uint256 public unlockTime;

    modifier onlyOwner() {
        require(msg.sender == owner, "owner");
        _;
    }

    // Vulnerable: anyone chooses the recipient and the amount.
    function rescue(address payable to, uint256 amount) external {
        (bool ok, ) = to.call{value: amount}(""); // want "rescue sends funds"
        require(ok);
    }

    // Vulnerable: token drain.
    function rescueToken(uint256 amount) external {
        token.transfer(msg.sender, amount); // want "rescueToken sends funds"
    }

    // Safe: guarded.
    function ownerRescue(address payable to) external onlyOwner {
        to.transfer(address(this).balance);
    }

    // Safe: time-locked release to the owner (state-dependent rule).
    function release(address payable to) external {
        require(block.timestamp >= unlockTime);
        to.transfer(address(this).balance);
    }

    // Safe: pays back the caller's own Ether.
    function bounce() external payable {
        payable(msg.sender).transfer(msg.value);
    }
}
