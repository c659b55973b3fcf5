// Package uncheckedmath defines an analyzer that reports caller-controlled arithmetic inside unchecked blocks.
//
// # Analyzer unchecked-arithmetic
//
// unchecked-arithmetic: arithmetic in unchecked block
//
// Since Solidity 0.8 arithmetic reverts on overflow, except inside
// unchecked { } blocks. The analyzer reports +, -, * and their compound
// assignments inside unchecked blocks when an operand is chosen by the caller
// (parameters, msg.data, msg.value in products) and no comparison in the
// function bounds it. Loop increments (++i, i += 1) and subtractions
// guarded by a prior comparison (if (a < b) revert(); unchecked { a - b; })
// are not reported.
package uncheckedmath
