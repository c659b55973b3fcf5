// Package lockedether defines an analyzer that reports contracts that can
// receive Ether but never send it.
//
// # Analyzer locked-ether
//
// locked-ether: contract accepts Ether but cannot send it
//
// The analyzer reports a deployable contract with a payable function,
// receive or payable fallback when neither it nor any base contract can
// move Ether out: no call with value, transfer, send, selfdestruct,
// Address.sendValue/functionCallWithValue, delegatecall (the delegate
// could send) or assembly call. Ether sent to it is locked forever.
// Contracts with unresolved base contracts, and test or mock files, are
// skipped.
package lockedether
