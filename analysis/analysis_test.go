package analysis_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/parser"
)

func detector(name string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:       name,
		Title:      "T",
		Doc:        analysis.Doc{Summary: "S", Recommendation: "R"},
		Severity:   analysis.High,
		Confidence: analysis.ConfidenceMedium,
		Category:   analysis.CategoryReentrancy,
		Run:        func(*analysis.Pass) (any, error) { return nil, nil },
	}
}

func TestValidate(t *testing.T) {
	model := &analysis.Analyzer{
		Name:       "model",
		Doc:        analysis.Doc{Summary: "shared model"},
		ResultType: reflect.TypeOf(0),
		Run:        func(*analysis.Pass) (any, error) { return 1, nil },
	}
	ok := detector("ok-detector")
	ok.Requires = []*analysis.Analyzer{model}
	if err := analysis.Validate([]*analysis.Analyzer{ok}); err != nil {
		t.Fatalf("valid suite: %v", err)
	}

	cyc1, cyc2 := detector("cyc-a"), detector("cyc-b")
	cyc1.Requires = []*analysis.Analyzer{cyc2}
	cyc2.Requires = []*analysis.Analyzer{cyc1}
	tests := []struct {
		name string
		mod  func(a *analysis.Analyzer)
		want string
	}{
		{"camel", func(a *analysis.Analyzer) { a.Name = "txOrigin" }, "kebab-case"},
		{"no title", func(a *analysis.Analyzer) { a.Title = "" }, "Title is empty"},
		{"no summary", func(a *analysis.Analyzer) { a.Doc.Summary = "" }, "Summary is empty"},
		{"no recommendation", func(a *analysis.Analyzer) { a.Doc.Recommendation = "" }, "Recommendation is empty"},
		{"severity", func(a *analysis.Analyzer) { a.Severity = 0 }, "invalid severity"},
		{"confidence", func(a *analysis.Analyzer) { a.Confidence = 9 }, "invalid confidence"},
		{"category", func(a *analysis.Analyzer) { a.Category = "misc" }, `unknown category "misc"`},
		{"swc", func(a *analysis.Analyzer) { a.SWC = "107" }, "SWC"},
		{"run", func(a *analysis.Analyzer) { a.Run = nil }, "Run is nil"},
		{"cycle", func(a *analysis.Analyzer) { a.Requires = []*analysis.Analyzer{cyc1} }, "cycle"},
		{"duplicate", func(a *analysis.Analyzer) { a.Requires = []*analysis.Analyzer{detector("x")} }, "duplicate name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := detector("x")
			tt.mod(a)
			err := analysis.Validate([]*analysis.Analyzer{a})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range analysis.Severities() {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back analysis.Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip %v: %v, %v", s, back, err)
		}
	}
	if _, err := analysis.ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity(severe) succeeded")
	}
}

func TestReportfLocates(t *testing.T) {
	src := `pragma solidity ^0.8.0;
contract C {
    modifier m() { _; }
    function f() public { uint x = 1; }
    fallback() external {}
}
function free() pure {}
`
	unit, errs := parser.ParseSource("c.sol", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	other, _ := parser.ParseSource("d.sol", []byte("contract D {}"))
	files := []*analysis.File{
		{Path: "d.sol", Source: other.File, AST: other},
		{Path: "c.sol", Source: unit.File, AST: unit},
	}
	var got []analysis.Finding
	pass := &analysis.Pass{Files: files, Report: func(f analysis.Finding) { got = append(got, f) }}
	ast.Inspect(unit, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.VarDeclStmt, *ast.PlaceholderStmt, *ast.FunctionDefinition:
			pass.Reportf(n, "here")
		}
		return true
	})
	want := []string{
		"c.sol:3:20 C.m", "c.sol:4:5 C.f", "c.sol:4:27 C.f", "c.sol:5:5 C.fallback", "c.sol:7:1 .free",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d: %v", len(got), len(want), got)
	}
	for i, f := range got {
		s := f.File + ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column) + " " + f.Contract + "." + f.Function
		if s != want[i] {
			t.Errorf("finding %d = %s, want %s", i, s, want[i])
		}
	}
}
