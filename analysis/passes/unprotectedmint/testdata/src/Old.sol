pragma solidity ^0.4.18;

contract OldToken {
    mapping(address => uint256) balances;
    uint256 totalSupply_;
    address owner;

    function issue(address _to, uint256 _value) public {
        totalSupply_ = totalSupply_ + _value; // want "issue lets anyone mint"
        balances[_to] += _value;
    }

    function issueOwner(address _to, uint256 _value) public {
        require(msg.sender == owner);
        totalSupply_ += _value;
        balances[_to] += _value;
    }

    function buy() public payable {
        totalSupply_ += msg.value;
        balances[msg.sender] += msg.value;
    }
}
