package ecrecoverzero_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/ecrecoverzero"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", ecrecoverzero.Analyzer)
}
