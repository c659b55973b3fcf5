package callsinloop_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/callsinloop"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", callsinloop.Analyzer)
}
