package unboundedloop_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/unboundedloop"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", unboundedloop.Analyzer)
}
