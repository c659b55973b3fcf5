package unprotectedselfdestruct_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedselfdestruct"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", unprotectedselfdestruct.Analyzer)
}
