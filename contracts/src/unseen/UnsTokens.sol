// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../tokens/ERC20.sol";

/// @title UnsCoin
/// @notice A plain fixed-supply ERC-20 of the "unseen protocols" fixture:
/// the whole supply goes to the deployer. No WETH pool exists for it.
contract UnsCoin is ERC20 {
    constructor(string memory name_, string memory symbol_, uint256 supply) ERC20(name_, symbol_, 18) {
        _mint(msg.sender, supply);
    }
}

/// @title UnsBurnCoin
/// @notice An ERC-20 whose burn takes the holder as an argument.
contract UnsBurnCoin is ERC20 {
    constructor(string memory name_, string memory symbol_, uint256 supply) ERC20(name_, symbol_, 18) {
        _mint(msg.sender, supply);
    }

    /// @notice Destroys `amount` of `from`'s tokens.
    // VULNERABLE: no check that the caller is `from` or holds an allowance:
    // anyone can destroy anyone's balance (e.g. an AMM pool's reserve).
    function burn(address from, uint256 amount) external {
        _burn(from, amount);
    }
}
