package chainlink_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/chainlink"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", chainlink.Analyzer)
}
