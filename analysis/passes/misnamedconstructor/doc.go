// Package misnamedconstructor defines an analyzer that reports functions
// meant to be constructors that are in fact public functions.
//
// # Analyzer misnamed-constructor
//
// misnamed-constructor: constructor with the wrong name is callable by anyone
//
// Before Solidity 0.4.22 a constructor was the function named exactly like
// its contract. A function whose name differs only in case or by a typo
// (`function owned()` in `contract Owned`), named `Constructor`, or left
// over from a renamed contract (`function DynamicPyramid()` in `contract
// Rubixi`: a capitalized, never-called public function that sets the owner
// to msg.sender) is an ordinary public function: anyone can call it and
// become the owner. In 0.5+ code a function named like its contract is
// reported too.
package misnamedconstructor
