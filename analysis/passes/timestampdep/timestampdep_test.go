package timestampdep_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/timestampdep"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", timestampdep.Analyzer)
}
