package arbitrarycall_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/arbitrarycall"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", arbitrarycall.Analyzer)
}
