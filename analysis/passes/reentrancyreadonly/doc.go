// Package reentrancyreadonly defines an analyzer that reports view functions that expose state which is stale during an external call.
//
// # Analyzer reentrancy-read-only
//
// reentrancy-read-only: read-only reentrancy
//
// The analyzer reports an external call in a state-changing function after
// which a state variable is written, when the function is protected by a
// reentrancy guard (so state-changing re-entry is blocked) but a public view
// function of the same contract computes a value (a price, a share rate: it
// divides or multiplies) from that variable without checking the lock. The
// recipient of the call can call other protocols that consume the view
// (Curve get_virtual_price), which then read an inconsistent value. The
// finding is placed on the external call.
package reentrancyreadonly
