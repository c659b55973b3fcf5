package criticalevent_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/criticalevent"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", criticalevent.Analyzer)
}
