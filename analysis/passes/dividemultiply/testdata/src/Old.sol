pragma solidity ^0.4.24;

contract Fees {
    uint256 public feeBps = 30;
    uint256 constant SCALE = 10000;

    function fee(uint256 amount) public view returns (uint256) {
        return (amount / SCALE) * feeBps; // want "divide before multiply"
    }

    function viaLocal(uint256 amount, uint256 price) public pure returns (uint256) {
        uint256 units = amount / 1000;
        return units * price; // want "divide before multiply"
    }

    function compound(uint256 amount, uint256 rate) public pure returns (uint256) {
        amount *= rate / 100; // want "divide before multiply"
        return amount;
    }

    // Safe: multiply first.
    function good(uint256 amount) public view returns (uint256) {
        return amount * feeBps / SCALE;
    }

    // Safe: constants only.
    function constants() public pure returns (uint256) {
        return (SCALE / 100) * 3;
    }

    // Safe: rounding down to a multiple on purpose.
    function floor(uint256 amount, uint256 lot) public pure returns (uint256) {
        return (amount / lot) * lot;
    }
}
