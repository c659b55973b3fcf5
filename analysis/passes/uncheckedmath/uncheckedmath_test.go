package uncheckedmath_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckedmath"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", uncheckedmath.Analyzer)
}
