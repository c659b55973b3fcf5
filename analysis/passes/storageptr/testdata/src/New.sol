pragma solidity ^0.8.0;

contract Modern {
    struct S { uint256 a; }
    S[] public items;

    function f() public {
        S memory s;
        s.a = 1;
        items.push(s);
    }
}
