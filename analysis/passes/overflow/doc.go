// Package overflow defines an analyzer that reports unchecked arithmetic on caller-controlled values in pre-0.8 code.
//
// # Analyzer integer-overflow
//
// integer-overflow: integer overflow or underflow
//
// In Solidity before 0.8 arithmetic wraps silently. The analyzer reports
// +, -, * and +=, -=, *= in files whose pragma admits versions below 0.8,
// outside libraries, when an operand is chosen by the caller (a public
// function parameter, msg.value in a product, msg.data; followed through
// locals and internal calls) and no check bounds it: no require/assert/if
// comparison mentions every caller-chosen operand, and the result is not
// verified afterwards (c = a + b; require(c >= a)). Loop headers, condition
// expressions and SafeMath calls are not arithmetic operators and are not
// reported; the vacuous unsigned check `require(a - b >= 0)` is, since its
// subtraction wraps. The finding is placed on the arithmetic (SWC-101).
package overflow
