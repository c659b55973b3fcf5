package weakrandomness_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/weakrandomness"
)

func Test(t *testing.T) {
	findings := analysistest.Run(t, "testdata/src", weakrandomness.Analyzer)
	// Block-derived values that decide a state change are high; those only
	// a view exposes (no state-changing code here uses it) are medium.
	want := map[string]analysis.Severity{"draw": analysis.High, "lottery": analysis.High, "settle": analysis.Medium, "pick": analysis.Medium}
	seen := map[string]bool{}
	for _, f := range findings {
		if sev, ok := want[f.Function]; ok {
			seen[f.Function] = true
			if f.Severity != sev {
				t.Errorf("%s:%d in %s: severity %s, want %s", f.File, f.Line, f.Function, f.Severity, sev)
			}
		}
	}
	for fn := range want {
		if !seen[fn] {
			t.Errorf("no finding in %s", fn)
		}
	}
}
