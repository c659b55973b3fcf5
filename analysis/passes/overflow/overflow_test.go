package overflow_test

import (
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/overflow"
)

func Test(t *testing.T) {
	findings := analysistest.Run(t, "testdata/src", overflow.Analyzer)
	// A pragma range that admits 0.8 compilers makes the risk depend on the
	// compiler choice: medium; a pre-0.8-only pragma keeps the default high.
	for _, f := range findings {
		want := analysis.High
		if strings.HasSuffix(f.File, "Range.sol") {
			want = analysis.Medium
		}
		if f.Severity != want {
			t.Errorf("%s:%d: severity %s, want %s", f.File, f.Line, f.Severity, want)
		}
	}
}
