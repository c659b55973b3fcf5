pragma solidity 0.8.24;

contract B {
    function f( public {}
}
