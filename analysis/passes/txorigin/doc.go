// Package txorigin defines an analyzer that reports authorization checks
// based on tx.origin.
//
// # Analyzer tx-origin
//
// tx-origin: authorization through tx.origin
//
// tx.origin is the externally owned account that started the transaction,
// not the immediate caller. A contract that authorizes with
// `require(tx.origin == owner)` can be driven by any contract the owner
// interacts with: a phishing contract that the owner calls forwards the call
// and passes the check. The analyzer reports tx.origin when it appears in a
// condition (require, assert, if, while, for, ?:) or in an equality
// comparison. Mere uses of the value (logging it, sending to it, storing
// it) are not reported, and neither is the "caller is an EOA" idiom
// `tx.origin == msg.sender`, which does not grant privileges.
package txorigin
