// Package deprecated defines an analyzer that reports deprecated Solidity
// constructs.
//
// # Analyzer deprecated
//
// deprecated: deprecated Solidity construct
//
// Old Solidity versions accepted constructs that were later deprecated and
// removed because they were confusing or unsafe: suicide (selfdestruct),
// sha3 (keccak256), throw (revert), callcode (delegatecall), the
// `.value(v)`/`.gas(g)` call syntax ({value: v, gas: g}), block.blockhash
// (blockhash), msg.gas (gasleft()), the `years` unit, `constant` functions
// (view) and `var` declarations (explicit types; `var` infers the smallest
// type, so `for (var i = 0; i < n; i++)` loops forever when n > 255).
package deprecated
