package suite_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/analysis/suite"
	"github.com/aegis-defi/aegis/solidity/project"
)

// TestWellAuditedCodeHasNoHighFindings runs the default suite over
// well-audited code — OpenZeppelin Contracts 3.4/4.9/5.x and Uniswap v2/v3
// core, pinned in tools/corpus — and requires zero high or critical findings:
// every one there would be a false positive. It is skipped when the corpus is
// not installed (scripts/test.sh installs it).
func TestWellAuditedCodeHasNoHighFindings(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	mods := filepath.Join(filepath.Dir(here), "..", "..", "tools", "corpus", "node_modules")
	if _, err := os.Stat(mods); err != nil {
		t.Skipf("corpus not installed (%v): run npm ci in tools/corpus", err)
	}
	for _, pkg := range []string{"oz3", "oz4", "oz5", "@uniswap/v2-core", "@uniswap/v3-core"} {
		t.Run(pkg, func(t *testing.T) {
			dir := filepath.Join(mods, pkg)
			proj, err := project.Load(context.Background(), dir, project.Options{BaseDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			var files []*analysis.File
			for _, f := range proj.Files {
				files = append(files, &analysis.File{Path: f.Path, Source: f.Source, AST: f.AST, ParseErrors: f.ParseErrors})
			}
			res, err := checker.Run(context.Background(), suite.Default(), files, checker.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) > 0 {
				t.Errorf("analysis errors: %v", res.Errors)
			}
			counts := map[string]int{}
			for _, f := range res.Findings {
				counts[f.Detector]++
				if f.Severity >= analysis.High {
					t.Errorf("false positive on well-audited code: %s %s:%d: %s", f.Detector, f.File, f.Line, f.Message)
				}
			}
			t.Logf("%d files, %d findings by detector: %v", len(files), len(res.Findings), counts)
		})
	}
}
