package weakrandomness_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/weakrandomness"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", weakrandomness.Analyzer)
}
