package unprotectedinit_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedinit"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", unprotectedinit.Analyzer)
}
