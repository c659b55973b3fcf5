// Package sigreplay defines an analyzer that reports signatures that can
// be replayed.
//
// # Analyzer signature-replay
//
// signature-replay: signed message lacks a nonce
//
// When a function authorizes an action with ecrecover (or ECDSA.recover)
// over a hash it builds itself, the hash must make each signature single
// use: a nonce, or a mapping marking the hash or signature as used. The
// analyzer reports recoveries whose message (traced through local
// variables) has neither; the message also says when the chain id or
// address(this) (an EIP-712 domain) is missing, which enables replay on
// other chains or contracts.
package sigreplay
