pragma solidity ^0.4.24;

contract Refunder {
    address[] private refundAddresses;
    mapping(address => uint) public refunds;

    function refundAll() public {
        for (uint x = 0; x < refundAddresses.length; x++) {
            require(refundAddresses[x].send(refunds[refundAddresses[x]])); // want "external send inside a loop"
        }
    }

    function payAll() public {
        uint i = 0;
        while (i < refundAddresses.length) {
            address a = refundAddresses[i];
            a.transfer(1); // want "transfer inside a loop"
            i++;
        }
    }

    // Negative: recipients chosen by the caller; single call outside a loop.
    function batch(address[] recipients) public payable {
        for (uint i = 0; i < recipients.length; i++) {
            recipients[i].transfer(1);
        }
        refundAddresses[0].transfer(1);
    }
}
