// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract A {
    uint bad; // want "identifier bad"
    function f() public {
        uint good = 1;
        bad = bad + good; // want "identifier bad" "bad-ident"
        // aegis-disable-next-line bad-ident
        bad = 2;
        bad = 3; // aegis-disable-line all
        // aegis-disable-start bad-ident
        bad = 4;
        bad = 5;
        // aegis-disable-end bad-ident
        bad = 6; /* want `^identifier bad$` */
    }
}
