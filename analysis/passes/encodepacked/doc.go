// Package encodepacked defines an analyzer that reports hashes of
// abi.encodePacked with several dynamic-type arguments.
//
// # Analyzer encode-packed-collision
//
// encode-packed-collision: hash collision with abi.encodePacked
//
// abi.encodePacked concatenates dynamic values (string, bytes, dynamic
// arrays) without length prefixes, so ("ab", "c") and ("a", "bc") encode
// to the same bytes. When two or more dynamic values are packed and the
// result is hashed for a signature, an identifier or a mapping key,
// different inputs share a hash: a signature for one set of arguments
// authorizes another, or two records collide. Literal strings are not
// counted as dynamic inputs.
package encodepacked
