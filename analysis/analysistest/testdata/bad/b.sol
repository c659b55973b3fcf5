pragma solidity ^0.8.0;

contract B {
    uint bad;
    function f() public {
        uint good = 1; // want "identifier good"
        // aegis-disable-next-line bad-ident
        good = 2; // want "suppressed"
    }
}
