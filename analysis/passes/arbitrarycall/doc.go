// Package arbitrarycall defines an analyzer that reports unguarded
// low-level calls whose target and data are both chosen by the caller.
//
// # Analyzer arbitrary-external-call
//
// arbitrary-external-call: caller-controlled call target and data
//
// A public or external function without access control (or an internal
// function it reaches) performs `target.call(data)` (or
// Address.functionCall) where both target and data come from its
// parameters or msg.data; calldata built with a fixed selector
// (abi.encodeWithSelector(IERC20.transfer.selector, ...), old-style
// call(bytes4(keccak256("f()")), ...)) does not count as caller-chosen. The contract then acts as a proxy for anyone:
// any token approval granted to it can be drained by calling
// token.transferFrom(victim, attacker, amount) through it, and any role
// it holds elsewhere is usable by everyone. Calls to address(this),
// targets checked against an allowlist or state, parameters bound by a
// hash (governance proposals, timelock operations) and signature-
// authorized executions are not reported.
package arbitrarycall
