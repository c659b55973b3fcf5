package parser

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// chainSource returns a function returning a chain of n operands joined by
// op ("+" → a + a + ...; "." → a.b.b...; "()" → f()()...).
func chainSource(n int, op string) string {
	var b strings.Builder
	b.WriteString("contract E { function f(uint256 a) external pure returns (uint256) { return a")
	for range n - 1 {
		switch op {
		case "+":
			b.WriteString(" + a")
		case ".":
			b.WriteString(".b")
		case "()":
			b.WriteString("()")
		}
	}
	b.WriteString("; } }\n")
	return b.String()
}

// TestLongChains: a 100k-operator chain parses without recursion (the
// parser builds it in a loop), yields a tree exactly that deep, and the AST
// walker visits all of it; a chain beyond maxChain is one clear error, not
// a crash.
func TestLongChains(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		op      string
		wantErr string
	}{
		{"sum of 100k terms", 100_000, "+", ""},
		{"100k member accesses", 100_000, ".", ""},
		{"100k calls", 100_000, "()", ""},
		{"sum beyond the limit", maxChain + 10, "+", "expression too long (more than 524288 chained operators)"},
		{"members beyond the limit", maxChain + 10, ".", "expression too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unit, errs := ParseSource("Chain.sol", []byte(chainSource(tt.n, tt.op)))
			if tt.wantErr != "" {
				// The rest of the input is skipped: the first error is the
				// cause, the others are the unclosed braces.
				if len(errs) == 0 || !strings.Contains(errs[0].Error(), tt.wantErr) || !strings.HasPrefix(errs[0].Error(), "Chain.sol:1:") {
					t.Fatalf("errors = %v, want first %q", errs, tt.wantErr)
				}
				// The over-long expression is dropped (a BadExpr), so no
				// later pass walks a tree that deep.
				if d := treeDepth(unit); d > 50 {
					t.Errorf("tree depth %d after the cut, want the expression dropped", d)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs[:min(len(errs), 3)])
			}
			// The return expression is n-1 nodes deep along its first
			// operand; the walker reaches the innermost one.
			if maxDepth := treeDepth(unit); maxDepth < tt.n-1 {
				t.Errorf("tree depth %d, want at least %d", maxDepth, tt.n-1)
			}
		})
	}
}

// treeDepth returns the depth of the deepest node under n.
func treeDepth(n ast.Node) int {
	depth, maxDepth := 0, 0
	ast.Inspect(n, func(n ast.Node) bool {
		if n == nil {
			depth--
			return false
		}
		depth++
		maxDepth = max(maxDepth, depth)
		return true
	})
	return maxDepth
}

// TestChainBudgetIsPerStatement: many long statements in one function do
// not add up to the per-expression limit.
func TestChainBudgetIsPerStatement(t *testing.T) {
	var b strings.Builder
	b.WriteString("contract E { function f(uint256 a) external pure returns (uint256 r) {\n")
	term := strings.Repeat(" + a", maxChain/4)
	for range 6 {
		b.WriteString("r = a" + term + ";\n")
	}
	b.WriteString("} }\n")
	if _, errs := ParseSource("Many.sol", []byte(b.String())); len(errs) > 0 {
		t.Fatalf("errors: %v", errs[0])
	}
}

func TestParseFileContextCancelled(t *testing.T) {
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, "contract C%d { function f() public {} }\n", i)
	}
	f := source.NewFile("Many.sol", []byte(b.String()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	unit, _, err := ParseFileContext(ctx, f)
	if err == nil || !strings.Contains(err.Error(), "parse Many.sol: context canceled") {
		t.Fatalf("err = %v", err)
	}
	if len(unit.Decls) == 2000 {
		t.Error("a cancelled parse parsed the whole file")
	}
	unit, errs, err := ParseFileContext(context.Background(), f)
	if err != nil || len(errs) > 0 || len(unit.Decls) != 2000 {
		t.Errorf("uncancelled: %v %v, %d decls", err, errs, len(unit.Decls))
	}
}
