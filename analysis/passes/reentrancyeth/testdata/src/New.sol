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

// ERC-4337 EntryPoint: the inner step is callable only by the contract
// itself (through this.innerHandleOp), so no outsider enters it.
contract EntryPointLike {
    mapping(address => uint256) public deposits;

    function innerHandleOp(address payable beneficiary, uint256 amount) external {
        require(msg.sender == address(this), "AA92 internal call only");
        (bool ok, ) = beneficiary.call{value: amount}("");
        require(ok);
        deposits[beneficiary] -= amount;
    }

    // Positive: any caller may be the beneficiary's contract and re-enter.
    function handleOp(address payable beneficiary, uint256 amount) external {
        require(msg.sender != address(0), "zero");
        (bool ok, ) = beneficiary.call{value: amount}(""); // want "reentrancy: Ether sent before deposits"
        require(ok);
        deposits[beneficiary] -= amount;
    }
}
