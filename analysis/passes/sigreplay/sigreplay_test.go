package sigreplay_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/sigreplay"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", sigreplay.Analyzer)
}
