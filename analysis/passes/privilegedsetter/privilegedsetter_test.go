package privilegedsetter_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/privilegedsetter"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", privilegedsetter.Analyzer)
}
