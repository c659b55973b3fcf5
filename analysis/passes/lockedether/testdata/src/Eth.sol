// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Sale { // want "Sale receives Ether"
    mapping(address => uint256) public bought;

    function buy() external payable {
        bought[msg.sender] += msg.value;
    }
}

contract Donations { // want "locked"
    event Donated(address from, uint256 amount);

    receive() external payable {
        emit Donated(msg.sender, msg.value);
    }
}

abstract contract Withdrawable {
    address public owner;

    function withdraw() external {
        require(msg.sender == owner);
        payable(owner).transfer(address(this).balance);
    }
}

contract GoodSale is Withdrawable {
    function buy() external payable {}
}

contract Forwarder {
    address public to;

    receive() external payable {
        (bool ok,) = to.call{value: msg.value}("");
        require(ok);
    }
}

contract NotPayable {
    uint256 public x;

    function set(uint256 v) external {
        x = v;
    }
}
