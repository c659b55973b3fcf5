package flashvote_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/flashvote"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", flashvote.Analyzer)
}
