pragma solidity >=0.6.0 <0.9.0; // want `floating pragma .* allows 0.6.0, affected by AbiReencoding`

contract Range {}
