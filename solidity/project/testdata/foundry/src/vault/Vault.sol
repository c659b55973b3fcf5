// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import "../Token.sol";
import {console} from "forge-std/console.sol";

contract Vault { Token token; }
