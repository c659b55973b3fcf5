package arbitrarytransferfrom_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/arbitrarytransferfrom"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", arbitrarytransferfrom.Analyzer)
}
