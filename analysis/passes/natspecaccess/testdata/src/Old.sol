pragma solidity ^0.4.24;

contract Config {
    address public owner;
    uint256 public fee;
    address public treasury;

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    /// @notice Only callable by the owner.
    function setFee(uint256 _fee) public { // want "setFee is documented as restricted"
        fee = _fee;
    }

    // onlyOwner
    function setTreasury(address _t) public { // want "setTreasury is documented as restricted"
        treasury = _t;
    }

    /// @notice Only callable by the owner.
    function setFeeGuarded(uint256 _fee) public onlyOwner {
        fee = _fee;
    }

    /// @notice Anyone can call this to sync the fee.
    function sync() public {
        fee = fee + 0;
    }
}
