package dividemultiply_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/dividemultiply"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", dividemultiply.Analyzer)
}
