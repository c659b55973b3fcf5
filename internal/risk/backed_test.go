package risk

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// backedRuntimes returns the runtimes of internal/bytecode's backed-mint
// fixtures (testdata/backedmint/Fixtures.sol, compiled with legacy codegen
// without and with the optimizer and with via-IR): setting → contract →
// runtime.
func backedRuntimes(t *testing.T) map[string]map[string][]byte {
	t.Helper()
	b, err := os.ReadFile("../bytecode/testdata/backedmint/runtimes.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Runtimes map[string]map[string]struct {
			Runtime string `json:"runtime"`
		} `json:"runtimes"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]byte{}
	for s, cs := range fx.Runtimes {
		out[s] = map[string][]byte{}
		for c, r := range cs {
			code, err := hex.DecodeString(strings.TrimPrefix(r.Runtime, "0x"))
			if err != nil {
				t.Fatal(err)
			}
			out[s][c] = code
		}
	}
	if len(out) != 3 {
		t.Fatalf("want 3 compiler settings, got %d", len(out))
	}
	return out
}

// signalEvidence returns the evidence details of signal name.
func signalEvidence(r *Report, name string) []string {
	var out []string
	for _, s := range r.Signals {
		if s.Name == name {
			for _, e := range s.Evidence {
				out = append(out, e.Detail)
			}
		}
	}
	return out
}

// TestBackedMint: a mint paid by the caller (a vault deposit pulling the
// asset with transferFrom(msg.sender, …), a mint priced in msg.value) is
// evidence, not a mint-path; owner mints and free mints still are, also
// when they make unrelated calls or "pull" a token the caller chooses.
func TestBackedMint(t *testing.T) {
	cases := []struct {
		contract string
		mintable bool
		// backedWith is a substring of the backed-mint evidence ("" when
		// none is expected); freeDetail one of the mint-path evidence.
		backedWith, freeDetail string
	}{
		{"BmOZVault", false, "caller's tokens (transferFrom(msg.sender, …) on const:", ""},
		{"BmMiniVault", false, "caller's tokens (transferFrom(msg.sender, …) on const:", ""},
		{"BmPaidMint", false, "caller's ETH (msg.value)", ""},
		{"BmOwnerMint", true, "", "behind slot:"},
		{"BmFreeMintCalls", true, "", "callable by anyone"},
		{"BmAnyTokenVault", true, "", "callable by anyone"},
	}
	for setting, codes := range backedRuntimes(t) {
		for _, c := range cases {
			t.Run(setting+"/"+c.contract, func(t *testing.T) {
				r := AnalyzeBytecode(context.Background(), codes[c.contract], nil)
				want := boolFlag(c.mintable)
				if got := r.Flag("is_mintable"); got != want {
					t.Errorf("is_mintable = %q, want %q; factors %+v", got, want, r.Factors)
				}
				f := r.Factor("mint-path")
				if c.mintable != (f != nil) {
					t.Fatalf("mint-path factor %+v, want present=%v", f, c.mintable)
				}
				ev := strings.Join(signalEvidence(r, "mint"), "\n")
				if c.backedWith != "" && !strings.Contains(ev, "backed mint") || !strings.Contains(ev, c.backedWith) {
					t.Errorf("mint evidence %q, want a backed mint with %q", ev, c.backedWith)
				}
				if c.backedWith == "" && strings.Contains(ev, "backed mint") {
					t.Errorf("unexpected backed-mint evidence %q", ev)
				}
				if f != nil && !strings.Contains(f.Evidence[0].Detail, c.freeDetail) {
					t.Errorf("mint-path evidence %q, want %q", f.Evidence[0].Detail, c.freeDetail)
				}
			})
		}
	}
}
