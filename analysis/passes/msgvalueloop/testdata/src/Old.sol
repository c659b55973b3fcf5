pragma solidity ^0.4.24;

contract Old {
    mapping(address => uint) public bal;

    function split(address[] tos) public payable {
        uint i = 0;
        while (i < tos.length) {
            bal[tos[i]] = bal[tos[i]] + msg.value; // want "inside a loop"
            i++;
        }
        bal[msg.sender] = msg.value;
    }
}
