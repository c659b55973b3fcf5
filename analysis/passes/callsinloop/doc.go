// Package callsinloop defines an analyzer that reports external calls to stored addresses inside loops.
//
// # Analyzer calls-in-loop
//
// calls-in-loop: external calls inside a loop
//
// The analyzer reports send, transfer, low-level call and non-view
// high-level calls made inside a loop when the called address comes from
// contract storage (an array of investors, a mapping of recipients). If one
// recipient reverts or consumes all gas (a contract without a payable
// fallback), the whole loop reverts and no one is paid: a denial of service
// (SWC-113). Calls to parameters (batch helpers chosen by the caller) and to
// this are not reported.
package callsinloop
