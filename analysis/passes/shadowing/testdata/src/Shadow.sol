pragma solidity ^0.4.24;

contract Ownable {
    address public owner;
    uint256 internal fee;

    function setOwner(address o) public {
        require(msg.sender == owner);
        owner = o;
    }
}

contract Token is Ownable {
    address public owner; // want "shadows Ownable.owner"
    uint256 internal fee; // want "state variable fee shadows"
    uint256 public supply;

    function Token() public {
        owner = msg.sender;
    }

    function mint(uint256 supply) public { // want "supply in Token.mint shadows state variable"
        supply = supply + 1;
    }

    function burn(uint256 amount) public {
        uint256 owner2 = amount;
        supply -= owner2;
    }
}

contract Clean is Ownable {
    uint256 public total;

    function add(uint256 amount) public {
        uint256 t = total;
        total = t + amount;
    }
}
