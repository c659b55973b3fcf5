package parser

import (
	"strings"
	"testing"
)

// fuzzSeeds returns snippets used as the fuzz seed corpus.
func fuzzSeeds() []string {
	seeds := []string{
		benchContract,
		"pragma solidity ^0.4.0; contract A { function A() { throw; } function() payable {} }",
		"using {a as +} for T global; type T is uint; error E(); event F();",
		"contract A { function f() { assembly { tag: =: x jump(tag) } } }",
		"contract A { function f() { (uint a, , bool b) = g(); var (c, d) = h(); } }",
		"contract A { function f() { try x.y{value: 1}() returns (uint) {} catch Error(string memory) {} catch {} } }",
		"contract A { function f() { x = a[1:][:2]; y = type(uint).max; z = hex\"00\"; w = unicode\"x\"; } }",
		"contract A { uint x = ; function f( { } event E(uint; function ok() {} }",
	}
	return seeds
}

// FuzzParseFile checks that the parser never panics and that every node's
// range is well formed and nested within its parent's range.
func FuzzParseFile(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		"contract A { function f() public { unchecked { i++; } } }",
		"contract A { modifier m() { _; } }",
		"contract A { function f() { assembly { for { let i := 0 } lt(i, 1) { i := add(i, 1) } { } switch x case 1 {} default {} } } }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		u, errs := ParseSource("fuzz.sol", src)
		if u == nil {
			t.Fatal("nil unit")
		}
		for _, e := range errs {
			if strings.Contains(e.Msg, "internal parser error") {
				t.Fatal(e)
			}
			if e.Span.Start < 0 || int(e.Span.Start) > len(src) {
				t.Fatalf("error position out of range: %v", e)
			}
		}
		checkSpans(t, u)
	})
}
