pragma solidity ^0.4.24;

contract Token {
    function transfer(address to, uint256 value) public returns (bool);
}

contract Airdrop {
    Token public token;

    function drop(address[] recipients, uint256 value) public {
        for (uint i = 0; i < recipients.length; i++) {
            token.transfer(recipients[i], value); // want "ERC-20 transfer"
        }
    }

    function dropChecked(address to, uint256 value) public {
        if (!token.transfer(to, value)) revert();
    }
}
