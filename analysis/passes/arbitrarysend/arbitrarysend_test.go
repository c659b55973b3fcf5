package arbitrarysend_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/arbitrarysend"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", arbitrarysend.Analyzer)
}
