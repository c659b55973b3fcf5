package initializerlock_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/initializerlock"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", initializerlock.Analyzer)
}
