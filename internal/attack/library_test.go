package attack_test

import (
	"regexp"
	"testing"

	"github.com/aegis-defi/aegis/internal/attack"
)

// TestLibraryIsComplete checks every scenario carries its metadata and that
// names are unique kebab-case identifiers usable on the command line.
func TestLibraryIsComplete(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	lib := attack.Library()
	if len(lib) < 7 {
		t.Fatalf("library has %d scenarios, want at least 7", len(lib))
	}
	for _, sc := range lib {
		in := sc.Info()
		if !kebab.MatchString(in.Name) {
			t.Errorf("name %q is not kebab-case", in.Name)
		}
		if seen[in.Name] {
			t.Errorf("duplicate scenario %q", in.Name)
		}
		seen[in.Name] = true
		if in.Class == "" || in.Incident == "" || in.Summary == "" {
			t.Errorf("%s: incomplete metadata %+v", in.Name, in)
		}
	}
}
