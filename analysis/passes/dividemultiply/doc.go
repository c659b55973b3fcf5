// Package dividemultiply defines an analyzer that reports multiplications
// of the result of an integer division.
//
// # Analyzer divide-before-multiply
//
// divide-before-multiply: precision loss from dividing before multiplying
//
// Solidity integer division truncates. `(a / b) * c` loses up to c-1 units
// compared with `(a * c) / b`, and rounds to zero when a < b. The analyzer
// reports a multiplication (`*` or `*=`) whose operand is a division,
// directly or through a local variable assigned once from a division
// (`x = a / b; y = x * c`). Constant-only arithmetic, the deliberate
// rounding idiom `(a / b) * b`, libraries and test code are not reported.
package dividemultiply
