package feeontransfer_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/feeontransfer"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", feeontransfer.Analyzer)
}
