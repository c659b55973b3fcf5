// Package reentrancynoeth defines an analyzer that reports external calls without Ether that are followed by state writes.
//
// # Analyzer reentrancy-no-eth
//
// reentrancy-no-eth: reentrancy without Ether transfer
//
// The analyzer reports an external call that sends no Ether (a token
// transfer, an interface call, a low-level call without value) in a publicly
// reachable, state-changing function without a reentrancy guard, when a state
// variable that the function reads is written after the call on some control
// flow path. A malicious token or callee (ERC-777 hooks, ERC-721 receivers,
// attacker-supplied contracts) can re-enter before the state is updated.
// Static calls and calls on this are ignored. The finding is placed on the
// external call.
package reentrancynoeth
