// Package uncheckedcall defines an analyzer that reports low-level calls whose success flag is ignored.
//
// # Analyzer unchecked-low-level-call
//
// unchecked-low-level-call: unchecked low-level call
//
// The analyzer reports addr.call, .delegatecall, .staticcall and .callcode
// (old and new syntax: addr.call.value(v)(data), addr.call{value: v}(data))
// whose boolean success result is discarded, or assigned to a variable that
// is never used. Low-level calls do not revert when the callee fails, so the
// contract continues as if the call succeeded (SWC-104).
package uncheckedcall
