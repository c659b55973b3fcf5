package slippage_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/slippage"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", slippage.Analyzer)
}
