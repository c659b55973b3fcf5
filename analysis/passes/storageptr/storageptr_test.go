package storageptr_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/storageptr"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", storageptr.Analyzer)
}
