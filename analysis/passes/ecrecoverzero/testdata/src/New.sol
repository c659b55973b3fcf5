// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Oracle {
    address public immutable admin;
    mapping(uint256 => address) public reporters;
    uint256 public price;

    constructor(address a) {
        admin = a;
    }

    function _recover(bytes32 h, uint8 v, bytes32 r, bytes32 s) internal pure returns (address) {
        return ecrecover(h, v, r, s);
    }

    function report(uint256 id, uint256 p, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 h = keccak256(abi.encode(id, p));
        require(_recover(h, v, r, s) == reporters[id], "bad sig"); // want "compared with reporters.id."
        price = p;
    }

    // Safe: the admin is set in the constructor.
    function adminReport(uint256 p, uint8 v, bytes32 r, bytes32 s) external {
        require(_recover(keccak256(abi.encode(p)), v, r, s) == admin, "bad sig");
        price = p;
    }

    // Safe: the registered reporter is checked against zero.
    function reportChecked(uint256 id, uint256 p, uint8 v, bytes32 r, bytes32 s) external {
        address who = reporters[id];
        require(who != address(0), "unknown");
        require(_recover(keccak256(abi.encode(id, p)), v, r, s) == who, "bad sig");
        price = p;
    }
}
