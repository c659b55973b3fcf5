package risk

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aegis-defi/aegis/contracts"
)

func runtimeOf(t testing.TB, name string) []byte {
	t.Helper()
	a, err := contracts.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return a.DeployedBytecode
}

// TestBytecodeModeFixtures checks level and code-decidable flags on tokens
// whose mechanisms are known.
func TestBytecodeModeFixtures(t *testing.T) {
	cases := []struct {
		name     string
		minLevel Level
		maxLevel Level
		flags    map[string]string
		factors  []string
	}{
		{"RiskFxPlainToken", LevelLow, LevelLow, map[string]string{
			"is_mintable": "0", "owner_change_balance": "0", "hidden_owner": "0", "can_take_back_ownership": "0",
			"is_blacklisted": "0", "transfer_pausable": "0", "slippage_modifiable": "0", "is_proxy": "0", "selfdestruct": "0",
			"external_call": "0", "trading_cooldown": "0", "is_anti_whale": "0",
		}, nil},
		{"FixedSupplyToken", LevelLow, LevelLow, map[string]string{"is_mintable": "0", "owner_change_balance": "0"}, nil},
		{"WETH9", LevelLow, LevelLow, map[string]string{"owner_change_balance": "0", "is_mintable": "0"}, nil},
		{"RiskFxCappedFeeToken", LevelLow, LevelLow, map[string]string{
			"slippage_modifiable": "1", "is_anti_whale": "1", "is_mintable": "0", "owner_change_balance": "0",
		}, []string{"fee-modifiable"}},
		// USDC-style: minters, pauser, blacklister — capability only.
		{"RiskFxStableToken", LevelMedium, LevelMedium, map[string]string{
			"is_mintable": "1", "transfer_pausable": "1", "is_blacklisted": "1", "owner_change_balance": "0",
			"hidden_owner": "0", "can_take_back_ownership": "0", "slippage_modifiable": "0",
		}, []string{"mint-path", "pausable", "blacklist"}},
		// Unlimited mint, a sell tax up to 100% and a trading switch.
		{"MintableToken", LevelHigh, LevelHigh, map[string]string{
			"is_mintable": "1", "transfer_pausable": "1", "slippage_modifiable": "1",
		}, []string{"mint-path"}},
		{"RiskFxRiggedToken", LevelCritical, LevelCritical, map[string]string{
			"is_mintable": "1", "owner_change_balance": "1", "hidden_owner": "1", "can_take_back_ownership": "1",
			"slippage_modifiable": "1", "is_blacklisted": "1", "trading_cooldown": "1",
		}, []string{"owner-change-balance", "fee-unbounded", "take-back-ownership", "hidden-owner", "mint-path"}},
	}
	rank := map[Level]int{LevelLow: 0, LevelMedium: 1, LevelHigh: 2, LevelCritical: 3}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := AnalyzeBytecode(context.Background(), runtimeOf(t, c.name), nil)
			if rank[r.Level] < rank[c.minLevel] || rank[r.Level] > rank[c.maxLevel] {
				t.Errorf("level %s (score %d), want %s..%s; factors %+v", r.Level, r.RiskScore, c.minLevel, c.maxLevel, r.Factors)
			}
			for k, want := range c.flags {
				if got := r.Flag(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			for _, id := range c.factors {
				f := r.Factor(id)
				if f == nil {
					t.Errorf("no factor %s", id)
					continue
				}
				if len(f.Evidence) == 0 || f.Evidence[0].Selector == "" {
					t.Errorf("factor %s without selector evidence: %+v", id, f.Evidence)
				}
			}
			if r.RiskScore != min(100, r.Sum()) {
				t.Errorf("score %d != min(100, sum %d)", r.RiskScore, r.Sum())
			}
			// Node-only signals are unknown, with a reason.
			for _, s := range r.Signals {
				if s.Name == "trade-simulation" && (s.Status != StatusUnknown || s.Reason == "") {
					t.Errorf("trade-simulation in bytecode mode: %+v", s)
				}
			}
		})
	}
}

// TestCapabilityWeightedByHolder: the same capabilities score less behind a
// multisig than behind an EOA, and behaviour is not weighted.
func TestCapabilityWeightedByHolder(t *testing.T) {
	code := runtimeOf(t, "RiskFxStableToken")
	score := func(w float64) int {
		r := &Report{Flags: map[string]any{}}
		p := newPassFromCode(t, code)
		p.HolderWeight = w
		run(context.Background(), p, r)
		return r.RiskScore
	}
	eoa, msig, gone := score(WeightEOA), score(WeightMultisig), score(WeightRenounced)
	if !(eoa > msig && msig > gone && gone == 0) {
		t.Errorf("scores EOA %d, multisig %d, renounced %d", eoa, msig, gone)
	}
	if LevelOf(msig) != LevelMedium {
		t.Errorf("USDC-style token behind a multisig: %d (%s), want medium", msig, LevelOf(msig))
	}
	rig := runtimeOf(t, "RiskFxRiggedToken")
	r := &Report{Flags: map[string]any{}}
	p := newPassFromCode(t, rig)
	p.HolderWeight = WeightRenounced
	run(context.Background(), p, r)
	if r.Level != LevelCritical {
		t.Errorf("rigged token with renounced owner: %s %d", r.Level, r.RiskScore)
	}
}

func TestBadInput(t *testing.T) {
	amm := runtimeOf(t, "AMMRouter")
	cases := []struct {
		name    string
		code    []byte
		skipped bool
		unknown string // a signal that must be unknown
	}{
		{"empty", nil, true, "mint"},
		{"stop", []byte{0x00}, false, "mint"},
		{"truncated push", []byte{0x7f, 0x01}, false, "mint"},
		{"not an erc20", amm, false, "mint"},
		{"truncated token", runtimeOf(t, "RiskFxPlainToken")[:40], false, "mint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := AnalyzeBytecode(context.Background(), c.code, nil)
			if (r.Skipped != "") != c.skipped {
				t.Errorf("skipped %q", r.Skipped)
			}
			found := false
			for _, s := range r.Signals {
				if s.Name == c.unknown {
					found = true
					if s.Status != StatusUnknown || s.Reason == "" {
						t.Errorf("%s: %+v", s.Name, s)
					}
				}
			}
			if !found {
				t.Errorf("signal %s missing", c.unknown)
			}
			if _, ok := r.Flags["is_mintable"]; ok {
				t.Errorf("is_mintable guessed: %v", r.Flags["is_mintable"])
			}
			if len(r.Unknowns) == 0 {
				t.Error("no unknowns listed")
			}
		})
	}
}

// goplusSchema compiles the GoPlus schema in testdata.
func goplusSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile("testdata/goplus-token-security.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("goplus.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("goplus.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// validateGoPlus validates a GoPlus response document.
func validateGoPlus(t *testing.T, out []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := goplusSchema(t).Validate(v); err != nil {
		t.Fatalf("GoPlus output invalid: %v\n%s", err, out)
	}
}

func TestGoPlusValidatesAgainstSchema(t *testing.T) {
	sch := goplusSchema(t)
	var reps []*Report
	for _, n := range []string{"RiskFxRiggedToken", "RiskFxStableToken", "RiskFxPlainToken", "AMMRouter"} {
		reps = append(reps, AnalyzeBytecode(context.Background(), runtimeOf(t, n), nil))
	}
	reps = append(reps, AnalyzeBytecode(context.Background(), nil, nil))
	reps[len(reps)-1].Address = "0x00000000000000000000000000000000000000AA"
	out, err := json.Marshal(GoPlus(reps...))
	if err != nil {
		t.Fatal(err)
	}
	validateGoPlus(t, out)
	if !strings.Contains(string(out), `"0x00000000000000000000000000000000000000aa":{}`) {
		t.Errorf("skipped address missing or not lower-case: %s", out)
	}
	// The schema is not vacuous: a boolean as a JSON bool or a tax as a
	// number is rejected.
	for _, bad := range []string{
		`{"code":1,"message":"OK","result":{"0xab":{"is_mintable":true}}}`,
		`{"code":1,"message":"OK","result":{"0xab":{"buy_tax":0.1}}}`,
		`{"code":1,"message":"OK","result":{"0xab":{"is_mintable":"yes"}}}`,
	} {
		v, _ := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if sch.Validate(v) == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
}

func TestSignalsListValid(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Signals() {
		if s.Name == "" || s.Doc == "" || s.Run == nil || (s.Needs != "code" && s.Needs != "node") {
			t.Errorf("invalid signal %+v", s.Name)
		}
		if seen[s.Name] {
			t.Errorf("duplicate signal %s", s.Name)
		}
		seen[s.Name] = true
	}
}

func FuzzAnalyzeBytecode(f *testing.F) {
	for _, n := range []string{"RiskFxRiggedToken", "RiskFxStableToken", "WETH9"} {
		f.Add(runtimeOf(f, n))
	}
	f.Add([]byte{})
	f.Add([]byte{0x60, 0x00, 0x35, 0x60, 0xe0, 0x1c, 0x80, 0x63, 0xa9, 0x05, 0x9c, 0xbb, 0x14, 0x60, 0x11, 0x57, 0x00, 0x5b, 0x33, 0x55, 0x00})
	f.Fuzz(func(t *testing.T, code []byte) {
		r := AnalyzeBytecode(context.Background(), code, nil)
		if r.RiskScore < 0 || r.RiskScore > 100 || r.RiskScore != min(100, r.Sum()) {
			t.Fatalf("score %d sum %d", r.RiskScore, r.Sum())
		}
		if len(r.Signals) != len(Signals()) {
			t.Fatalf("%d signal results", len(r.Signals))
		}
		if _, err := json.Marshal(GoPlus(r)); err != nil {
			t.Fatal(err)
		}
	})
}
