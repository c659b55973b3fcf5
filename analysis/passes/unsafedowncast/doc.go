// Package unsafedowncast defines an analyzer that reports explicit
// narrowing integer conversions of unbounded values.
//
// # Analyzer unsafe-downcast
//
// unsafe-downcast: narrowing integer cast silently truncates
//
// An explicit conversion to a narrower integer type (`uint128(x)`,
// `uint8(x)`, `int64(x)`) keeps only the low-order bits, even in 0.8
// code where arithmetic is checked. The analyzer reports such a cast of a
// wider integer value that is not a literal, not masked or reduced modulo,
// and not bounded by a comparison in an earlier require, if or loop
// condition. Timestamps and block numbers cast to 32 bits or more,
// contracts using a SafeCast library, libraries and test code are not
// reported.
package unsafedowncast
