// Package uncheckedsend defines an analyzer that reports send calls whose result is ignored.
//
// # Analyzer unchecked-send
//
// unchecked-send: unchecked send
//
// The analyzer reports addr.send(amount) whose boolean result is discarded
// or stored in a variable that is never used. send returns false instead of
// reverting when the transfer fails (out of gas in the recipient's fallback,
// call depth), so the contract records a payment that did not happen
// (SWC-104, King of the Ether).
package uncheckedsend
