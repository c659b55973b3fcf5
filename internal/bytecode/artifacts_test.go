package bytecode

import (
	"slices"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/sigdb"
)

// deployable returns the artifacts with runtime code.
func deployable(t testing.TB) []*contracts.Artifact {
	t.Helper()
	var out []*contracts.Artifact
	for _, name := range contracts.Names() {
		a, err := contracts.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.DeployedBytecode) > 0 {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		t.Skip("no deployable artifacts")
	}
	return out
}

func abiSelectors(a *contracts.Artifact) []string {
	var out []string
	for _, m := range a.ABI.Methods {
		out = append(out, Sel(m.ID).String())
	}
	slices.Sort(out)
	return out
}

func TestArtifactSelectorsMatchABI(t *testing.T) {
	db := sigdb.Default()
	for _, a := range deployable(t) {
		r, err := Analyze(a.DeployedBytecode, db)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		var got []string
		for _, s := range r.Selectors {
			got = append(got, s.Selector.String())
		}
		want := abiSelectors(a)
		if !slices.Equal(got, want) {
			t.Errorf("%s: selectors (%s)\n got  %v\n want %v", a.Name, r.SelectorSource, got, want)
		}
		if r.Metadata == nil || !strings.HasPrefix(r.Compiler, "solc 0.8.") {
			t.Errorf("%s: metadata %+v compiler %q", a.Name, r.Metadata, r.Compiler)
		}
	}
}
