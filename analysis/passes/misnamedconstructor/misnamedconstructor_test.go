package misnamedconstructor_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/misnamedconstructor"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", misnamedconstructor.Analyzer)
}
