package deprecated_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/deprecated"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", deprecated.Analyzer)
}
