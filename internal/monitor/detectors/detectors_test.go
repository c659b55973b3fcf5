package detectors_test

import (
	"regexp"
	"testing"

	"github.com/aegis-defi/aegis/internal/monitor/detectors"
)

// TestDefaultMeta checks the default list: unique kebab-case names and
// complete metadata.
func TestDefaultMeta(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	ds := detectors.Default(detectors.DefaultConfig())
	if len(ds) != 10 {
		t.Errorf("%d detectors, want 10", len(ds))
	}
	seen := map[string]bool{}
	for _, d := range ds {
		m := d.Meta()
		if !kebab.MatchString(m.Name) {
			t.Errorf("name %q is not kebab-case", m.Name)
		}
		if seen[m.Name] {
			t.Errorf("duplicate detector %q", m.Name)
		}
		seen[m.Name] = true
		if m.Title == "" || len(m.Doc) < 40 || !m.Severity.Valid() || m.Confidence <= 0 || m.Confidence > 1 {
			t.Errorf("%s: incomplete meta %+v", m.Name, m)
		}
	}
	if _, err := detectors.New(detectors.Config{Disabled: []string{"nope"}}); err == nil {
		t.Error("unknown disabled detector accepted")
	}
	ds, err := detectors.New(detectors.Config{Disabled: []string{"anomaly"}})
	if err != nil || len(ds) != 9 {
		t.Errorf("disable anomaly: %d detectors, %v", len(ds), err)
	}
}
