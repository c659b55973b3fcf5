package unsafedowncast_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/unsafedowncast"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", unsafedowncast.Analyzer)
}
