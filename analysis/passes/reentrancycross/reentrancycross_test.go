package reentrancycross_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancycross"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", reentrancycross.Analyzer)
}
