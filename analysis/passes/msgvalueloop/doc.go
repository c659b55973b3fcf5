// Package msgvalueloop defines an analyzer that reports msg.value read inside loops or in delegatecall multicalls.
//
// # Analyzer msg-value-in-loop
//
// msg-value-in-loop: msg.value used in a loop
//
// msg.value is constant for the whole call. Reading it inside a loop (to
// credit each of several purchases or recipients) counts the same Ether
// several times. The analyzer reports msg.value inside loop bodies and
// conditions, and in payable functions of contracts whose multicall
// delegatecalls into themselves in a loop (each delegated call sees the
// full msg.value again, as in the Opyn and Sushi MISO incidents).
package msgvalueloop
