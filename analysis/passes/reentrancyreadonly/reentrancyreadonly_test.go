package reentrancyreadonly_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancyreadonly"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", reentrancyreadonly.Analyzer)
}
