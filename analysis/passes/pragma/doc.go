// Package pragma defines an analyzer that reports floating and
// known-buggy Solidity version pragmas.
//
// # Analyzer pragma
//
// pragma: floating or known-buggy compiler version
//
// A floating pragma (`^0.8.0`, `>=0.6.0 <0.9.0`) lets a contract be
// deployed with a compiler other than the one it was tested with, including
// versions with known bugs. Contracts (as opposed to libraries and
// interfaces meant to be reused by others) should pin the exact version they
// were tested and audited with. The analyzer also reports a pinned version
// with a published high-impact bug, from a small table of the Solidity bug
// list embedded in the analyzer.
package pragma
