package shadowing_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/shadowing"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", shadowing.Analyzer)
}
