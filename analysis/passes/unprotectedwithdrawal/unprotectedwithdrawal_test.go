package unprotectedwithdrawal_test

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedwithdrawal"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", unprotectedwithdrawal.Analyzer)
}
