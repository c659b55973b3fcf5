// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract Events {
    IERC20 public token;
    event Paid(address to, uint256 amount);
    bool private locked;

    modifier nonReentrant() {
        require(!locked);
        locked = true;
        _;
        locked = false;
    }

    function pay(address to, uint256 amount) external {
        require(token.transfer(to, amount));
        emit Paid(to, amount); // want "event emitted after external call transfer"
    }

    function payEth(address payable to, uint256 amount) external {
        (bool ok,) = to.call{value: amount}("");
        require(ok);
        emit Paid(to, amount); // want "event emitted after external call"
    }

    // Negative: event first.
    function payFirst(address to, uint256 amount) external {
        emit Paid(to, amount);
        require(token.transfer(to, amount));
    }

    // Negative: guarded.
    function payGuarded(address to, uint256 amount) external nonReentrant {
        require(token.transfer(to, amount));
        emit Paid(to, amount);
    }

    // Negative: transfer of Ether cannot re-enter.
    function payTransfer(address payable to, uint256 amount) external {
        to.transfer(amount);
        emit Paid(to, amount);
    }
}
