// Package criticalevent defines an analyzer that reports privileged
// setters changing critical parameters without emitting an event.
//
// # Analyzer missing-event-critical-change
//
// missing-event-critical-change: critical parameter changed silently
//
// The analyzer reports public or external functions protected by access
// control (as classified by the semantic model's guards: onlyOwner-style
// modifiers, msg.sender checks, role checks) that write a state variable
// whose name marks a critical parameter (fee, rate, oracle, owner, admin,
// treasury, limit, cap, threshold, factor, delay, period, price,
// implementation, paused) and emit no event on any path (in the function,
// its modifiers or its internal callees). Off-chain monitors, indexers and
// users cannot see the change, which hides both mistakes and a compromised
// admin key.
package criticalevent
