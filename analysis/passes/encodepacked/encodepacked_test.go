package encodepacked_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/encodepacked"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", encodepacked.Analyzer)
}
