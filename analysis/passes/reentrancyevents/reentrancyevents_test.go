package reentrancyevents_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancyevents"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", reentrancyevents.Analyzer)
}
