package natspecaccess_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/natspecaccess"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", natspecaccess.Analyzer)
}
