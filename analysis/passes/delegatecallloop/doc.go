// Package delegatecallloop defines an analyzer that reports delegatecall inside a loop of a payable function.
//
// # Analyzer delegatecall-in-loop
//
// delegatecall-in-loop: delegatecall in a loop in a payable function
//
// A delegatecall preserves msg.value. A payable function that delegatecalls
// in a loop (batch/multicall) lets every delegated call spend the same
// msg.value, so the attacker pays once and is credited many times. The
// analyzer reports low-level delegatecall (and Address.functionDelegateCall)
// inside loops of payable functions.
package delegatecallloop
