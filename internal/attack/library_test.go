package attack_test

import (
	"regexp"
	"strings"
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
	gen := attack.Generalisation()
	if len(gen) < 8 {
		t.Fatalf("generalisation set has %d scenarios, want at least 8", len(gen))
	}
	// Names are unique across both sets: --scenario selects from either.
	for _, sc := range append(lib, gen...) {
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

// TestSetSelectsLists checks the named sets and the error for an unknown one.
func TestSetSelectsLists(t *testing.T) {
	for name, want := range map[string]int{
		"":                       len(attack.Library()),
		attack.SetLibrary:        len(attack.Library()),
		attack.SetGeneralisation: len(attack.Generalisation()),
		attack.SetAll:            len(attack.Library()) + len(attack.Generalisation()),
	} {
		got, err := attack.Set(name)
		if err != nil {
			t.Fatalf("Set(%q): %v", name, err)
		}
		if len(got) != want {
			t.Errorf("Set(%q) has %d scenarios, want %d", name, len(got), want)
		}
	}
	if _, err := attack.Set("nope"); err == nil || !strings.Contains(err.Error(), `unknown scenario set "nope"`) {
		t.Errorf("Set(nope) error = %v", err)
	}
}
