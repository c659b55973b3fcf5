package approverace_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/approverace"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", approverace.Analyzer)
}
