// Package reentrancyeth defines an analyzer that reports Ether-sending external calls followed by state writes (the DAO reentrancy).
//
// # Analyzer reentrancy-eth
//
// reentrancy-eth: reentrancy with Ether transfer
//
// The analyzer reports an external call that sends Ether with enough gas to
// execute code (addr.call{value: v}(""), the pre-0.7 addr.call.value(v)(),
// a high-level call with value, Address.sendValue) in a publicly reachable,
// state-changing function without a reentrancy guard, when a state variable
// that the function reads is written after the call on some control flow
// path, directly or inside an internal callee. The recipient can re-enter the
// function before the write and observe the stale state (the DAO hack).
// send and transfer, which forward only 2300 gas, are not reported.
// The finding is placed on the external call.
package reentrancyeth
