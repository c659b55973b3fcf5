package tokentestbed

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/aegis-defi/aegis/contracts"
)

var update = flag.Bool("update", false, "rewrite labels.json from the Go table")

// TestLabelsJSON keeps labels.json equal to the Go table.
func TestLabelsJSON(t *testing.T) {
	want, err := json.MarshalIndent(Labels(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile("labels.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(want, LabelsJSON()) {
		t.Fatal("labels.json is stale: go test ./internal/risk/tokentestbed -run TestLabelsJSON -update")
	}
	var back []Label
	dec := json.NewDecoder(bytes.NewReader(LabelsJSON()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatalf("labels.json: %v", err)
	}
	if len(back) != len(Labels()) {
		t.Fatalf("labels.json has %d labels, want %d", len(back), len(Labels()))
	}
}

func TestLabelsAreConsistent(t *testing.T) {
	labels := Labels()
	if len(labels) < 25 {
		t.Fatalf("%d labelled tokens, want at least 25", len(labels))
	}
	valid := append(FlagNames(), BuyTax, SellTax, TransferTax)
	seen := map[string]bool{}
	honest := 0
	for _, l := range labels {
		if seen[l.Token] {
			t.Errorf("%s labelled twice", l.Token)
		}
		seen[l.Token] = true
		art, err := contracts.Load(l.Token)
		if err != nil || !art.Deployable() {
			t.Errorf("%s: no deployable artifact (%v)", l.Token, err)
		}
		switch l.Level {
		case Low, Medium, High, Critical:
		default:
			t.Errorf("%s: level %q", l.Token, l.Level)
		}
		if l.Honest {
			honest++
			// honest: low, or medium for capability-only centralization
			// (a multisig-held pause/blacklist/mint, issue 8)
			if (l.Level != Low && l.Level != Medium) || l.Flags.IsHoneypot || l.Flags.OwnerChangeBalance || l.Flags.HiddenOwner {
				t.Errorf("%s: honest control labelled %s %+v", l.Token, l.Level, l.Flags)
			}
		}
		if l.Flags.IsHoneypot && l.Level != Critical {
			t.Errorf("%s: honeypot must be critical, is %s", l.Token, l.Level)
		}
		if l.SellReverts && l.Taxes.Sell != 100 {
			t.Errorf("%s: a reverting sell counts as 100%% sell tax, label says %v", l.Token, l.Taxes.Sell)
		}
		for _, o := range l.Offline {
			if !slices.Contains(valid, o) {
				t.Errorf("%s: offline name %q is neither a flag nor a tax", l.Token, o)
			}
		}
		if l.Mechanism == "" {
			t.Errorf("%s: no mechanism", l.Token)
		}
	}
	if honest < 7 || honest == len(labels) {
		t.Errorf("%d honest controls of %d tokens", honest, len(labels))
	}
	if _, err := LabelOf("RtYieldBloom"); err != nil {
		t.Error(err)
	}
	if _, err := LabelOf("NoSuchToken"); err == nil {
		t.Error("LabelOf(NoSuchToken) succeeded")
	}
}

func TestRuntimeCorpus(t *testing.T) {
	corpus, err := RuntimeCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(corpus) != len(Labels()) {
		t.Fatalf("%d runtimes for %d labels", len(corpus), len(Labels()))
	}
	codes := map[string]string{}
	for _, r := range corpus {
		if len(r.Code) < 100 {
			t.Errorf("%s: runtime is %d bytes", r.Token, len(r.Code))
		}
		if prev, dup := codes[string(r.Code)]; dup {
			t.Errorf("%s and %s have the same runtime", prev, r.Token)
		}
		codes[string(r.Code)] = r.Token
		if (r.Implementation != nil) != r.Label.Flags.IsProxy {
			t.Errorf("%s: implementation code present=%v, is_proxy=%v", r.Token, r.Implementation != nil, r.Label.Flags.IsProxy)
		}
	}
}
