package unprotectedupgrade_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedupgrade"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", unprotectedupgrade.Analyzer)
}
