// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Lib {
    address public owner;

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    function destroy(address payable to) external {
        _destroy(to);
    }

    function _destroy(address payable to) internal {
        selfdestruct(to); // want "destroy can be called by anyone"
    }

    function shutdown() external onlyOwner {
        _destroy(payable(owner));
    }
}
