pragma solidity 0.8.24;

import "./B.sol";
import {Nope} from "./Nope.sol";

contract A is B {}
