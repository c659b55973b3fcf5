package strictbalance_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/strictbalance"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", strictbalance.Analyzer)
}
