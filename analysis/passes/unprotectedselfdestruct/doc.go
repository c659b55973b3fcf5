// Package unprotectedselfdestruct defines an analyzer that reports
// selfdestruct (or the old suicide) reachable from a public function
// without access control.
//
// # Analyzer unprotected-selfdestruct
//
// unprotected-selfdestruct: anyone can destroy the contract
//
// The analyzer follows internal calls from every public or external
// function that has no caller check (owner comparison, role check,
// only*-style modifier) and reports each selfdestruct/suicide call it
// reaches. Anyone can then delete the code and send the balance to the
// chosen beneficiary (Parity wallet library, November 2017).
package unprotectedselfdestruct
