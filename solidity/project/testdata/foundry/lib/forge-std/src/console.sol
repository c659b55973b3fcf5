pragma solidity >=0.4.22 <0.9.0;

library console {}
