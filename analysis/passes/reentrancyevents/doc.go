// Package reentrancyevents defines an analyzer that reports events emitted after an external call.
//
// # Analyzer reentrancy-events
//
// reentrancy-events: event emitted after an external call
//
// The analyzer reports an emit statement that may execute after an external
// call that can re-enter (not send, transfer, static calls or calls on this)
// in a function without a reentrancy guard. If the callee re-enters, events
// are logged out of order, which misleads off-chain indexers and monitors.
// The finding is placed on the emit statement.
package reentrancyevents
