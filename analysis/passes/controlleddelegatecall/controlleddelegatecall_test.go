package controlleddelegatecall_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/controlleddelegatecall"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", controlleddelegatecall.Analyzer)
}
