package spotprice_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/spotprice"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", spotprice.Analyzer)
}
