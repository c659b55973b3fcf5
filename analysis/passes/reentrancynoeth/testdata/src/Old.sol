pragma solidity ^0.4.24;

contract Game {
    mapping(address => uint) public credit;

    function claim(address target) public {
        if (credit[msg.sender] > 0) {
            target.call(bytes4(keccak256("ping()"))); // want "reentrancy"
            credit[msg.sender] = 0;
        }
    }

    // Negative: send cannot re-enter.
    function claimSend() public {
        if (credit[msg.sender] > 0) {
            msg.sender.send(1);
            credit[msg.sender] = 0;
        }
    }
}
