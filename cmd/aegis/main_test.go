package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/demo"
	"github.com/aegis-defi/aegis/internal/devnet"
)

// runCLI runs the aegis command tree with args and returns stdout, stderr and
// the returned error, exactly as main would see them.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	root := newRootCmd(&out, &errb)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return out.String(), errb.String(), err
}

func TestHelpListsCommands(t *testing.T) {
	out, _, err := runCLI(t, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"demo", "devnet", "version"} {
		if !strings.Contains(out, "\n  "+c+" ") {
			t.Errorf("--help does not list %q:\n%s", c, out)
		}
	}
}

func TestBadInputIsOneClearError(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--scenario", "no-such-attack"}, `unknown scenario "no-such-attack"`},
		{[]string{"demo", "--seed", "abc"}, `invalid argument "abc"`},
		{[]string{"--log-level", "loud", "version"}, `--log-level "loud"`},
		{[]string{"--log-format", "xml", "version"}, `--log-format "xml"`},
		{[]string{"demo", "--traffic", "-3"}, `--traffic -3`},
		{[]string{"demo", "--set", "nope"}, `--set: unknown scenario set "nope"`},
		{[]string{"demo", "--set", "generalisation", "--scenario", "reentrancy"}, `unknown scenario "reentrancy"`},
		{[]string{"demo", "--markdown", "--json"}, `--markdown prints the monitor's detections`},
		{[]string{"nosuchcmd"}, `unknown command "nosuchcmd"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, _, err := runCLI(t, c.args...)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) {
				t.Fatalf("error %q does not contain %q", msg, c.want)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "goroutine") {
				t.Fatalf("error is not one line: %q", msg)
			}
		})
	}
}

func TestDemoListNamesEveryScenario(t *testing.T) {
	out, _, err := runCLI(t, "demo", "--list")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"oracle-manipulation", "reentrancy", "vault-inflation",
		"governance-takeover", "rug-pull", "initializer-takeover", "bridge-forgery",
		// The generalisation set is listed too (--scenario picks from it).
		"readonly-reentrancy", "empty-market-rounding", "signature-replay", "reward-double-claim",
		"self-liquidation", "proxy-unprotected-setter", "hook-token-reentrancy", "thin-pool-oracle"} {
		if !strings.Contains(out, name) {
			t.Errorf("--list misses %s:\n%s", name, out)
		}
	}
}

// TestDemoJSON runs the real demo end to end: devnet, testbed, benign
// traffic and every attack, and checks the JSON contract of --json.
func TestDemoJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end demo")
	}
	out, _, err := runCLI(t, "demo", "--json", "--traffic", "60", "--seed", "3")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Seed    int64 `json:"seed"`
		ChainID uint64
		Benign  *struct {
			Transactions int `json:"transactions"`
		} `json:"benign"`
		Scenarios []struct {
			Name            string   `json:"name"`
			Class           string   `json:"class"`
			Incident        string   `json:"incident"`
			Succeeded       bool     `json:"succeeded"`
			Profit          *float64 `json:"attacker_profit_eth"`
			Loss            *float64 `json:"protocol_loss_eth"`
			SafeVariantHeld *bool    `json:"safe_variant_held"`
			Detected        bool     `json:"detected"`
			DetectedStage   string   `json:"detected_stage"`
			Confirmed       bool     `json:"confirmed"`
			DetectionMS     *float64 `json:"detection_ms"`
			Alerts          []string `json:"alerts"`
			Blocked         *bool    `json:"blocked"`
			Protected       float64  `json:"funds_protected_eth"`
			ResponseMS      float64  `json:"response_ms"`
			GuardedProfit   *float64 `json:"guarded_attacker_profit_eth"`
			GuardMode       string   `json:"guard_mode"`
			GuardNote       string   `json:"guard_note"`
			// The generalisation set counts in its own tokens.
			Unit              string   `json:"profit_unit"`
			ProfitUnits       *float64 `json:"attacker_profit_units"`
			LossUnits         *float64 `json:"protocol_loss_units"`
			GuardedProfitUnit *float64 `json:"guarded_attacker_profit_units"`
			ProtectedUnits    *float64 `json:"funds_protected_units"`
		} `json:"scenarios"`
		FalsePositives *int `json:"false_positives"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	if rep.Seed != 3 {
		t.Errorf("seed = %d, want 3", rep.Seed)
	}
	if rep.Benign == nil || rep.Benign.Transactions < 60 {
		t.Errorf("benign phase missing or short: %+v", rep.Benign)
	}
	if rep.FalsePositives == nil || *rep.FalsePositives != 0 {
		t.Errorf("false_positives = %v, want 0 (high/critical alerts during the benign phase)", rep.FalsePositives)
	}
	// The default run is the library and then the generalisation set.
	want := append(attack.Library(), attack.Generalisation()...)
	if len(rep.Scenarios) != len(want) {
		t.Fatalf("%d scenarios, want the library and the generalisation set (%d)", len(rep.Scenarios), len(want))
	}
	checkDemoTrace(t, out)
	for i, s := range rep.Scenarios {
		if s.Name != want[i].Info().Name {
			t.Errorf("scenario %d is %q, want %q", i, s.Name, want[i].Info().Name)
		}
		if s.Name == "" || s.Class == "" || s.Incident == "" || s.Profit == nil || s.Loss == nil {
			t.Errorf("incomplete entry %+v", s)
			continue
		}
		if s.Unit != "" {
			// Counted in the scenario's own tokens (no ETH moves).
			if s.ProfitUnits == nil || s.LossUnits == nil {
				t.Errorf("%s: no %s figures", s.Name, s.Unit)
				continue
			}
			s.Profit, s.Loss, s.GuardedProfit = s.ProfitUnits, s.LossUnits, s.GuardedProfitUnit
			if s.ProtectedUnits != nil {
				s.Protected = *s.ProtectedUnits
			}
		}
		if !s.Succeeded || *s.Profit <= 0 || *s.Loss <= 0 {
			t.Errorf("%s: succeeded=%v profit=%v loss=%v, want a profitable attack", s.Name, s.Succeeded, *s.Profit, *s.Loss)
		}
		if s.SafeVariantHeld == nil || !*s.SafeVariantHeld {
			t.Errorf("%s: safe variant did not hold", s.Name)
		}
		// The monitor catches every exploit in the mempool, before mining.
		if !s.Detected || s.DetectedStage != "pending" || s.DetectionMS == nil || len(s.Alerts) == 0 {
			t.Errorf("%s: detected=%v stage=%q alerts=%v, want detected at the pending stage", s.Name, s.Detected, s.DetectedStage, s.Alerts)
		}
		if !s.Confirmed {
			t.Errorf("%s: the incident was not confirmed after mining", s.Name)
		}
		// The guarded re-run of the vulnerable variant.
		if s.Blocked == nil || s.GuardedProfit == nil || s.GuardNote == "" {
			t.Errorf("%s: guard fields missing (blocked %v, guarded profit %v, note %q)", s.Name, s.Blocked, s.GuardedProfit, s.GuardNote)
			continue
		}
		t.Logf("%s: blocked=%v protected=%.4f %s response=%.1f ms guarded profit=%.4f: %s", s.Name, *s.Blocked, s.Protected, cmp.Or(s.Unit, "ETH"), s.ResponseMS, *s.GuardedProfit, s.GuardNote)
		switch s.Name {
		case demo.DefaultDryRunScenario: // dry-run for contrast: recorded, not sent
			if *s.Blocked || s.GuardMode != "dry-run" || *s.GuardedProfit <= 0 || !strings.Contains(s.GuardNote, "dry-run: would have paused") {
				t.Errorf("%s: blocked=%v mode=%q profit=%v note %q, want a dry run and a landed attack", s.Name, *s.Blocked, s.GuardMode, *s.GuardedProfit, s.GuardNote)
			}
		case "rug-pull": // the attacker owns the token and the pool: nothing to pause
			if *s.Blocked || !strings.Contains(s.GuardNote, "not blockable") {
				t.Errorf("%s: blocked=%v note %q, want an honest not-blockable", s.Name, *s.Blocked, s.GuardNote)
			}
		default:
			if !*s.Blocked || *s.GuardedProfit > 0 || s.ResponseMS <= 0 {
				t.Errorf("%s: blocked=%v guarded profit=%v response=%v ms, want blocked", s.Name, *s.Blocked, *s.GuardedProfit, s.ResponseMS)
			}
			// vault-inflation: the detectors flag only the back-run; the
			// victim's deposit (mined before it) is frozen, not protected.
			if s.Name != "vault-inflation" && s.Protected <= 0 {
				t.Errorf("%s: funds protected = %v %s, want > 0", s.Name, s.Protected, cmp.Or(s.Unit, "ETH"))
			}
		}
	}
}

// TestDemoGuardNarrationNoKey runs one guarded scenario with debug logs and
// checks the narration and that the guardian's key appears nowhere in the
// output or the logs.
func TestDemoGuardNarrationNoKey(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end demo")
	}
	out, logs, err := runCLI(t, "--log-level", "debug", "demo", "--scenario", "reentrancy", "--traffic", "0", "--skip-safe")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"guard paused VulnerableBank in ", "attack reverted; 50 ETH protected", "blocked", "trace: 50 ETH stolen by reentrancy", "exchange-hot-wallet"} {
		if !strings.Contains(out, want) {
			t.Errorf("narration misses %q:\n%s", want, out)
		}
	}
	if !strings.Contains(logs, "guard decision") {
		t.Errorf("debug logs miss the guard's decision line:\n%s", logs)
	}
	accts, err := devnet.DeriveAccounts(2)
	if err != nil {
		t.Fatal(err)
	}
	key := strings.ToLower(hex.EncodeToString(crypto.FromECDSA(accts[1].Key))) // the guardian
	if hay := strings.ToLower(out + logs); strings.Contains(hay, key) || strings.Contains(hay, key[:24]) {
		t.Fatal("the guardian key leaked into the demo's output or logs")
	}
}
