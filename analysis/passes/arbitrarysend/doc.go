// Package arbitrarysend defines an analyzer that reports unguarded
// functions sending Ether to an address chosen by the caller.
//
// # Analyzer arbitrary-send-eth
//
// arbitrary-send-eth: Ether sent to a caller-chosen address
//
// A public or external function without access control (or an internal
// function it reaches without crossing a guard) sends Ether with
// transfer, send, call{value: ...}, .call.value(...)() or sendValue to an
// address taken from its parameters or msg.data. Payments backed by the
// caller's recorded balance (a mapping indexed by msg.sender or by the
// recipient, read in a condition or written), refunds of msg.value,
// amounts computed by other contracts, exchanges where the caller pays
// tokens, recipients checked against state or an allowlist, and
// signature-authorized payouts are not reported.
package arbitrarysend
