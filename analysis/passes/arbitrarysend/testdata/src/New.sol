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
