// Package unprotectedwithdrawal defines an analyzer that reports public
// functions sending the contract's Ether or tokens to a caller-chosen
// address without access control.
//
// # Analyzer unprotected-ether-withdrawal
//
// unprotected-ether-withdrawal: anyone can withdraw the contract's funds
//
// A public or external function (or an internal function it reaches
// without crossing a guard) transfers Ether (transfer, send, call with
// value, sendValue) or tokens (transfer, safeTransfer) to msg.sender or to
// an address given as a parameter, while no caller check protects it and
// the amount is not tied to the caller's recorded balance. Functions that
// keep per-account books (write a mapping, array or struct in storage),
// whose conditions read contract state (deadlines, reserves, game state),
// or that pay back msg.value are not reported.
package unprotectedwithdrawal
