package zeroaddress_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/zeroaddress"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", zeroaddress.Analyzer)
}
