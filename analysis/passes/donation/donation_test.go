package donation_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/donation"
)

func Test(t *testing.T) {
	for _, f := range analysistest.Run(t, "testdata/src", donation.Analyzer) {
		want := analysis.Medium
		if f.Contract == "NaiveVault" {
			want = analysis.High
		}
		if f.Severity != want {
			t.Errorf("%s: severity %v, want %v", f, f.Severity, want)
		}
	}
}
