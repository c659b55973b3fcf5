package reentrancyeth_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancyeth"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", reentrancyeth.Analyzer)
}
