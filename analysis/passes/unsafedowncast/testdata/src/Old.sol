pragma solidity ^0.4.24;

contract Token {
    mapping(address => uint256) balances;
    uint8 public level;

    function setLevel(uint256 _level) public {
        level = uint8(_level); // want "unsafe downcast"
    }

    function credit(uint256 amount) public {
        uint128 small = uint128(amount * 2); // want "unsafe downcast"
        balances[msg.sender] += small;
    }

    // Safe: bounded by an if.
    function setLevelChecked(uint256 _level) public {
        if (_level > 255) revert();
        level = uint8(_level);
    }

    // Safe: timestamp in 64 bits.
    function stamp() public view returns (uint64) {
        return uint64(now);
    }
}
