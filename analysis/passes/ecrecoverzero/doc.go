// Package ecrecoverzero defines an analyzer that reports ecrecover results
// trusted without a zero-address check.
//
// # Analyzer ecrecover-zero-address
//
// ecrecover-zero-address: ecrecover result not checked against zero
//
// ecrecover returns address(0) for an invalid signature instead of
// reverting. When the recovered address is compared with a value that can
// itself be zero (a parameter, a mapping entry that was never set, a state
// variable no constructor initializes) or stored, a garbage signature
// authenticates as the zero address. The analyzer reports raw ecrecover
// calls (directly or through an internal helper returning the result)
// whose result is used that way while no condition checks the recovered
// address or the compared value against zero.
package ecrecoverzero
