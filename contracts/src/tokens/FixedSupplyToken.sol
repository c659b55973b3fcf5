// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "./ERC20.sol";

/// @title FixedSupplyToken
/// @notice Plain 18-decimal ERC-20 whose whole supply is minted once to the
/// deployer. No owner, no mint, no taxes: the safe counterpart of MintableToken.
contract FixedSupplyToken is ERC20 {
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param supply Total supply in base units, minted to msg.sender.
    constructor(string memory name_, string memory symbol_, uint256 supply) ERC20(name_, symbol_, 18) {
        _mint(msg.sender, supply);
    }
}
