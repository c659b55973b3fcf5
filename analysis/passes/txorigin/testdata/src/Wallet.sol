// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

contract Wallet {
    address public owner;
    mapping(address => bool) public admins;

    event Called(address origin, address sender);

    modifier onlyOwner() {
        require(tx.origin == owner, "not owner"); // want "tx.origin used for authorization"
        _;
    }

    function withdraw(address payable to, uint256 amount) external {
        if (tx.origin != owner) revert(); // want "tx.origin used for authorization"
        to.transfer(amount);
    }

    function adminOnly() external view returns (bool) {
        require(admins[tx.origin]); // want "tx.origin"
        return owner == tx.origin ? true : false; // want "tx.origin"
    }

    function isOwner() public view returns (bool ok) {
        ok = (owner == tx.origin); // want "tx.origin"
    }

    // Negative cases: logging, paying, storing, and the EOA-caller idiom.
    function log() external {
        emit Called(tx.origin, msg.sender);
        payable(tx.origin).transfer(0);
        owner = tx.origin;
        require(tx.origin == msg.sender, "no contracts");
        require(msg.sender == (tx.origin));
    }

    function suppressed() external view {
        // aegis-disable-next-line tx-origin
        require(tx.origin == owner);
    }
}
