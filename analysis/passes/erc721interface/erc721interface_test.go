package erc721interface_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/erc721interface"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", erc721interface.Analyzer)
}
