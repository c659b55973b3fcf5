package lockedether_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/lockedether"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", lockedether.Analyzer)
}
