package healthcheck_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/healthcheck"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", healthcheck.Analyzer)
}
