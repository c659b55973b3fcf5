package msgvalueloop_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/msgvalueloop"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", msgvalueloop.Analyzer)
}
