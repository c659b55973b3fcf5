package proxystorage_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/proxystorage"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", proxystorage.Analyzer)
}
