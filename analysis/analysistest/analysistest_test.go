package analysistest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/solidity/ast"
)

// badIdent reports every identifier named "bad".
var badIdent = &analysis.Analyzer{
	Name:       "bad-ident",
	Title:      "Bad identifier",
	Doc:        analysis.Doc{Summary: "Reports identifiers named bad.", Recommendation: "Rename it."},
	Severity:   analysis.Low,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryBestPractice,
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f.AST, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && id.Name == "bad" {
					pass.Reportf(id, "identifier %s", id.Name)
				}
				return true
			})
		}
		return nil, nil
	},
}

func TestRunPasses(t *testing.T) {
	findings := analysistest.Run(t, "testdata/ok", badIdent)
	if len(findings) != 4 {
		t.Errorf("got %d findings, want 4", len(findings))
	}
	for _, f := range findings {
		if f.Contract != "A" {
			t.Errorf("%v: contract = %q, want A", f, f.Contract)
		}
	}
}

// recorder is a fake testing.T that records failures.
type recorder struct {
	errs  []string
	fatal bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = true
	r.Errorf(format, args...)
}

func TestRunReportsMismatches(t *testing.T) {
	r := &recorder{}
	analysistest.Run(r, "testdata/bad", badIdent)
	got := strings.Join(r.errs, "\n")
	for _, want := range []string{
		"testdata/bad/b.sol:4:10: unexpected finding: [bad-ident] identifier bad",
		`testdata/bad/b.sol:6: no finding matched "identifier good"`,
		`testdata/bad/b.sol:8: no finding matched "suppressed"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("harness errors missing %q; got:\n%s", want, got)
		}
	}
	if len(r.errs) != 3 {
		t.Errorf("got %d errors, want 3:\n%s", len(r.errs), got)
	}
}

func TestRunMissingDir(t *testing.T) {
	r := &recorder{}
	analysistest.Run(r, "testdata/nonexistent", badIdent)
	if !r.fatal {
		t.Error("missing dir did not fail the test")
	}
}
