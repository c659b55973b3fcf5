package model_test

import (
	"context"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/sema"
	"github.com/aegis-defi/aegis/solidity/source"
)

// TestModelIsSharedAndComplete runs two analyzers that require the model and
// checks they see the same, fully built model.
func TestModelIsSharedAndComplete(t *testing.T) {
	src := []byte(`pragma solidity ^0.8.0;
contract A { uint x; function f() public { x = 1; } }
contract B is A { function g() external { f(); } }`)
	f := source.NewFile("t.sol", src)
	unit, errs := parser.ParseFile(f)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var seen []*sema.Model
	mk := func(name string) *analysis.Analyzer {
		return &analysis.Analyzer{
			Name: name, Title: name, Doc: analysis.Doc{Summary: "s", Recommendation: "r"},
			Severity: analysis.Info, Confidence: analysis.ConfidenceLow, Category: analysis.CategoryDeFi,
			Requires: []*analysis.Analyzer{model.Analyzer},
			Run: func(p *analysis.Pass) (any, error) {
				m, err := model.Of(p)
				if err != nil {
					return nil, err
				}
				seen = append(seen, m)
				return nil, nil
			},
		}
	}
	files := []*analysis.File{{Path: "t.sol", Source: f, AST: unit}}
	res, err := checker.Run(context.Background(), []*analysis.Analyzer{mk("one"), mk("two")}, files, checker.Options{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if len(seen) != 2 || seen[0] != seen[1] {
		t.Fatalf("model not shared: %d results", len(seen))
	}
	if n := len(seen[0].Contracts); n != 2 {
		t.Fatalf("model has %d contracts, want 2", n)
	}
}
