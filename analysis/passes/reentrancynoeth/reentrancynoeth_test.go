package reentrancynoeth_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancynoeth"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", reentrancynoeth.Analyzer)
}
