// Package reentrancycross defines an analyzer that reports state written after an external call that another unguarded function reads.
//
// # Analyzer reentrancy-cross-function
//
// reentrancy-cross-function: cross-function reentrancy
//
// The analyzer reports an external call after which a state variable is
// written, when a different public state-changing function without a
// reentrancy guard reads that variable, and either the calling function is
// itself guarded (its lock does not cover the other function) or the calling
// function does not read the variable (so the single-function reentrancy
// detectors stay silent). During the call the attacker re-enters the other
// function, which acts on the stale value (for example transferring a balance
// that withdraw has already paid out). The finding is placed on the external
// call.
package reentrancycross
