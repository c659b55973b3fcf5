// Package sigmalleability defines an analyzer that reports replay
// protection keyed by malleable ECDSA signatures.
//
// # Analyzer signature-malleability
//
// signature-malleability: replay protection keyed by a malleable signature
//
// For every valid ECDSA signature (v, r, s) the signature (v', r, n - s)
// over the same message is also valid. A contract that calls ecrecover on
// caller-supplied signature components without restricting s to the lower
// half of the curve order, and marks signatures as used by the signature
// bytes (or by r and s) rather than by a nonce or the message, lets anyone
// replay a used signature in its flipped form. The analyzer reports the
// raw ecrecover call of such contracts; OpenZeppelin ECDSA and any
// `s <= secp256k1n/2` check are not reported.
package sigmalleability
