pragma solidity ^0.4.18;

contract Token {
    mapping(address => uint) balances;
    uint public totalSupply;
    uint public count = 1;
    mapping(address => uint) public lockTime;

    function transfer(address _to, uint _value) public returns (bool) {
        require(balances[msg.sender] - _value >= 0); // want "integer underflow"
        balances[msg.sender] -= _value; // want "integer underflow: unchecked - on caller-controlled _value"
        balances[_to] += _value; // want "integer overflow"
        return true;
    }

    function batchTransfer(address[] _receivers, uint256 _value) public returns (bool) {
        uint cnt = _receivers.length;
        uint256 amount = uint256(cnt) * _value; // want "integer overflow"
        require(_value > 0 && balances[msg.sender] >= amount);
        balances[msg.sender] -= amount;
        for (uint i = 0; i < cnt; i++) {
            balances[_receivers[i]] += _value; // want "overflow"
        }
        return true;
    }

    function increaseLockTime(uint _secondsToIncrease) public {
        lockTime[msg.sender] += _secondsToIncrease; // want "overflow"
    }

    function run(uint256 input) public {
        count -= input; // want "underflow"
    }

    // Negative cases.
    function deposit() public payable {
        balances[msg.sender] += msg.value;
    }

    function safeTransfer(address _to, uint _value) public {
        require(balances[msg.sender] >= _value);
        require(balances[_to] + _value >= balances[_to]);
        balances[msg.sender] -= _value;
        balances[_to] += _value;
    }

    function safeAdd(uint a, uint b) internal pure returns (uint) {
        uint c = a + b;
        assert(c >= a);
        return c;
    }

    function loop() public {
        for (uint i = 0; i < 10; i++) {
            count = count + 1;
        }
    }
}
