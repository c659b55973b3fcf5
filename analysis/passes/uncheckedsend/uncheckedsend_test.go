package uncheckedsend_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckedsend"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", uncheckedsend.Analyzer)
}
