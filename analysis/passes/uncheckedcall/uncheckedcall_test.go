package uncheckedcall_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckedcall"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", uncheckedcall.Analyzer)
}
