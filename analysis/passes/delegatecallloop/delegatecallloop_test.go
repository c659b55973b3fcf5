package delegatecallloop_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/delegatecallloop"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", delegatecallloop.Analyzer)
}
