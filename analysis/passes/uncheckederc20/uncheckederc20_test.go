package uncheckederc20_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckederc20"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", uncheckederc20.Analyzer)
}
