pragma solidity ^0.4.11;

contract Old {
    address owner;
    uint public lockUntil = now + 1 years; // want "years unit"

    function balance() constant returns (uint) { // want "constant functions are deprecated"
        return this.balance;
    }

    function hash(bytes b) returns (bytes32) {
        return sha3(b); // want "sha3 is deprecated"
    }

    function pay(address to) {
        if (msg.sender != owner) throw; // want "throw is deprecated"
        to.call.value(1 ether)(); // want `.value\(...\) call syntax`
        to.call.gas(msg.gas)(); // want `.gas\(...\) call syntax` "msg.gas is deprecated"
        to.callcode(bytes4(0)); // want "callcode is deprecated"
    }

    function loop(uint[] xs) {
        for (var i = 0; i < xs.length; i++) {} // want "var is deprecated"
        bytes32 h = block.blockhash(block.number - 1); // want "block.blockhash"
    }

    function kill() {
        suicide(owner); // want "suicide is deprecated"
    }
}
