pragma solidity ^0.4.24;

contract Lottery {
    struct Game { address player; uint256 number; }
    address public owner;
    uint256 public pot;
    Game[] public games;

    function play(uint256 n) public payable {
        Game game; // want "uninitialized storage pointer"
        game.player = msg.sender;
        game.number = n;
        games.push(game);
    }

    function record(uint256 n) public {
        uint256[] list; // want "uninitialized storage pointer"
        list.push(n);
    }

    function safe(uint256 n) public {
        Game memory g;
        g.number = n;
        Game storage s = games[0];
        s.number = n;
        uint256[] unused;
    }
}
