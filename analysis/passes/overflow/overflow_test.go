package overflow_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/overflow"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", overflow.Analyzer)
}
