pragma solidity ^0.4.24;

contract Lottery {
    address[] public players;
    address owner;

    function join() public payable {
        require(msg.value == 1 ether);
        players.push(msg.sender);
    }

    function payout() public {
        require(msg.sender == owner);
        uint256 share = this.balance / players.length;
        for (uint256 i = 0; i < players.length; i++) { // want "unbounded loop over players"
            players[i].transfer(share);
        }
    }

    // Safe: read-only loop.
    function count(address who) public view returns (uint256 n) {
        for (uint256 i = 0; i < players.length; i++) {
            if (players[i] == who) n++;
        }
    }
}

contract Admins {
    address[] admins;
    address owner;
    mapping(address => bool) isAdmin;

    // Growth is owner-only.
    function addAdmin(address a) public {
        require(msg.sender == owner);
        admins.push(a);
    }

    // Safe: the array cannot be grown by anyone.
    function reset() public {
        for (uint256 i = 0; i < admins.length; i++) {
            isAdmin[admins[i]] = false;
        }
    }
}
