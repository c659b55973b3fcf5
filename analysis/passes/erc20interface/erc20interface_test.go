package erc20interface_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/erc20interface"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", erc20interface.Analyzer)
}
