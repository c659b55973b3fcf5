package txorigin_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/txorigin"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", txorigin.Analyzer)
}
