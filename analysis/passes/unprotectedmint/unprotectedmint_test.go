package unprotectedmint_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedmint"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", unprotectedmint.Analyzer)
}
