// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Pool {
    address public governance;
    bool public paused;
    uint256 public cap;

    /**
     * @dev only admin
     */
    function pause() external { // want "pause is documented as restricted"
        paused = true;
    }

    /// @notice Sets the cap. Restricted to governance.
    function setCap(uint256 c) external { // want "setCap is documented as restricted"
        cap = c;
    }

    /// @notice Sets the cap. Restricted to governance.
    function setCapChecked(uint256 c) external {
        require(msg.sender == governance, "gov");
        cap = c;
    }

    /// @notice Deposits tokens; callable by any user.
    function deposit() external payable {
        cap += 0;
    }
}
