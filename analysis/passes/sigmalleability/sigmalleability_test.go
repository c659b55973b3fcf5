package sigmalleability_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/sigmalleability"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", sigmalleability.Analyzer)
}
