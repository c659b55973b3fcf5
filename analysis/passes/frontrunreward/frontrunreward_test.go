package frontrunreward_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/frontrunreward"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", frontrunreward.Analyzer)
}
