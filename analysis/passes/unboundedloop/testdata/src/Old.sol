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

contract DosNumber {
    uint256 numElements = 0;
    uint256[] array;

    function insertNnumbers(uint256 value, uint256 numbers) public {
        for (uint256 i = 0; i < numbers; i++) { // want "the caller chooses the iteration count"
            if (numElements == array.length) {
                array.length += 1;
            }
            array[numElements++] = value;
        }
    }

    // Safe: the loop does not grow storage.
    function sum(uint256 numbers) public view returns (uint256 s) {
        for (uint256 i = 0; i < numbers && i < array.length; i++) {
            s += array[i];
        }
    }
}

contract Raffle {
    mapping(uint256 => address) entrants;
    uint256 numEntrants;
    uint256 totalSupply;
    uint256 cap = 100;

    function enter() public payable {
        require(msg.value == 0.1 ether);
        entrants[numEntrants] = msg.sender;
        numEntrants++;
    }

    function refundAll() public {
        for (uint256 i = 0; i < numEntrants; i++) { // want "unbounded loop over numEntrants entries"
            entrants[i].transfer(0.1 ether);
        }
    }

    function mint() public {
        totalSupply++;
    }

    // Safe: totalSupply does not count stored entries.
    function fill() public {
        while (totalSupply < cap) {
            totalSupply += 1;
        }
    }
}
