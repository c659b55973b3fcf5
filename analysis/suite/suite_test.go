package suite_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/suite"
)

func TestDefaultValid(t *testing.T) {
	if err := analysis.Validate(suite.Default()); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultSorted(t *testing.T) {
	names := make([]string, 0, len(suite.Default()))
	for _, a := range suite.Default() {
		names = append(names, a.Name)
	}
	if !slices.IsSorted(names) {
		t.Errorf("suite not in name order: %s", strings.Join(names, ", "))
	}
}
