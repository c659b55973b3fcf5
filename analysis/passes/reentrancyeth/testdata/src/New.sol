// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Bank {
    mapping(address => uint256) public balanceOf;
    bool private locked;

    modifier nonReentrant() {
        require(!locked, "locked");
        locked = true;
        _;
        locked = false;
    }

    function withdrawAll() external {
        uint256 bal = balanceOf[msg.sender];
        (bool ok,) = msg.sender.call{value: bal}(""); // want "reentrancy: Ether sent before balanceOf"
        require(ok);
        _clear(msg.sender);
    }

    function _clear(address a) internal {
        balanceOf[a] = 0;
    }

    // Negative: guarded.
    function withdrawGuarded() external nonReentrant {
        uint256 bal = balanceOf[msg.sender];
        (bool ok,) = msg.sender.call{value: bal}("");
        require(ok);
        balanceOf[msg.sender] = 0;
    }

    // Negative: effects before interaction.
    function withdrawCEI() external {
        uint256 bal = balanceOf[msg.sender];
        balanceOf[msg.sender] = 0;
        (bool ok,) = payable(msg.sender).call{value: bal}("");
        require(ok);
    }
}
