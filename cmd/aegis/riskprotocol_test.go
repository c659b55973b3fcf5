package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestRiskProtocolSourceAndStore: `risk protocol --source --data-dir` on two
// vaults and WETH. The source's findings go to the vault whose deployed
// code matches (the donation-inflation finding to the vulnerable vault
// only), the monitor's critical alert on the vulnerable vault becomes its
// incidents factor (read while the store is open, as under a running
// monitor), and one depositor holding all shares gives the
// deposit-concentration factor. Bad paths fail naming the flag.
func TestRiskProtocolSourceAndStore(t *testing.T) {
	ctx := context.Background()
	env := testchain.New(t)
	acc := env.Accounts
	deploy := func(name string, args ...any) *chain.Contract {
		t.Helper()
		a, err := contracts.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		k, _, err := env.Client.Deploy(ctx, acc[0], a.ABI, a.Bytecode, args...)
		if err != nil {
			t.Fatalf("deploy %s: %v", name, err)
		}
		return k
	}
	weth := deploy("WETH9")
	if _, err := weth.TransactValue(ctx, acc[1], chain.Ether(100), "deposit"); err != nil {
		t.Fatal(err)
	}
	vv := deploy("VulnerableVault", weth.Address, acc[0].Address)
	sv := deploy("SafeVault", weth.Address, acc[0].Address)
	for _, v := range []*chain.Contract{vv, sv} {
		if _, err := weth.Transact(ctx, acc[1], "approve", v.Address, chain.Ether(10)); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Transact(ctx, acc[1], "deposit", chain.Ether(10), acc[1].Address); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	al := &alert.Alert{ID: "inc-42", Severity: alert.SeverityCritical, Stage: alert.StageConfirmed, Title: "vault share inflation",
		Protocol: alert.Protocol{Address: vv.Address.Hex()}, Detectors: []string{"vault-inflation"}, DetectedAt: time.Now().Add(-time.Hour),
		Evidence: alert.Evidence{Txs: []alert.TxRef{{Hash: "0x1234", Stage: alert.StageConfirmed}}}}
	if err := st.SaveEvent(ctx, alert.Event{Kind: alert.EventOpened, Seq: 1, At: time.Now(), Alert: al}); err != nil {
		t.Fatal(err)
	}
	url := env.Node.HTTPURL()
	args := []string{"risk", "protocol", vv.Address.Hex(), sv.Address.Hex(), weth.Address.Hex(), "--rpc", url,
		"--data-dir", dir, "--source", "../../contracts/src/vault"}
	out, _, err := runCLI(t, append(args, "--format", "json")...)
	if err != nil {
		t.Fatal(err)
	}
	var pr risk.ProtocolReport
	if err := json.Unmarshal([]byte(out), &pr); err != nil {
		t.Fatal(err)
	}
	if len(pr.Contracts) != 3 || pr.IncidentHistory.Status != "ok" || pr.IncidentHistory.Alerts != 1 {
		t.Fatalf("report: %d contracts, history %+v", len(pr.Contracts), pr.IncidentHistory)
	}
	audit := func(r *risk.Report) risk.SignalResult {
		for _, s := range r.Signals {
			if s.Name == "audit-findings" {
				return s
			}
		}
		return risk.SignalResult{}
	}
	vr, sr, wr := pr.Contracts[0].Report, pr.Contracts[1].Report, pr.Contracts[2].Report
	if f := vr.Factor("audit-donation-inflation"); f == nil || f.Points != 25 {
		t.Errorf("vulnerable vault: audit factor %+v", f)
	}
	if s := audit(vr); s.Status != "ok" || !slices.ContainsFunc(s.Evidence, func(e risk.Evidence) bool { return strings.Contains(e.Detail, "source contract VulnerableVault") }) {
		t.Errorf("vulnerable vault: audit signal %+v", s)
	}
	if f := vr.Factor("incidents"); f == nil || f.Points != 30 || !strings.Contains(f.Evidence[0].Detail, "inc-42") {
		t.Errorf("vulnerable vault: incidents factor %+v", f)
	}
	if f := vr.Factor("deposit-concentration"); f == nil || f.Points != 25 || f.Evidence[0].Address != strings.ToLower(acc[1].Address.Hex()) {
		t.Errorf("vulnerable vault: deposit factor %+v", f)
	}
	if s := audit(sr); s.Status != "ok" || !slices.ContainsFunc(s.Evidence, func(e risk.Evidence) bool { return strings.Contains(e.Detail, "source contract SafeVault") }) {
		t.Errorf("safe vault: audit signal %+v", s)
	}
	for _, f := range sr.Factors {
		if f.ID == "incidents" || f.ID == "audit-donation-inflation" {
			t.Errorf("safe vault got %s", f.ID)
		}
	}
	if s := audit(wr); s.Status != "unknown" || !strings.Contains(s.Reason, "no contract of the source matches") {
		t.Errorf("WETH (not in the source): audit signal %+v", s)
	}
	if pr.RiskScore != vr.RiskScore || vr.RiskScore < 80 {
		t.Errorf("protocol score %d, vulnerable vault %d", pr.RiskScore, vr.RiskScore)
	}

	text, _, err := runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("text output:\n%s", text)
	for _, want := range []string{"incident history: 1 alert(s)", "incident     inc-42 critical", "deposits     share-token of " + strings.ToLower(vv.Address.Hex()),
		"+25  evidence   source audit:", "+30  behaviour  1 past high/critical incident(s)", "+25  behaviour  one address holds 100% of the shares"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	// No store: unknown, never "0 incidents".
	text, _, err = runCLI(t, "risk", "protocol", sv.Address.Hex(), "--rpc", url)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "holds 100% of the supply") {
		t.Errorf("share concentration counted twice:\n%s", text)
	}
	if !strings.Contains(text, "incident history: unknown — no monitor store given") {
		t.Errorf("without --data-dir:\n%s", text)
	}

	empty := t.TempDir()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--data-dir", "/nonexistent/aegis-data"}, []string{"--data-dir", "no aegis monitor database"}},
		{[]string{"--data-dir", empty}, []string{"--data-dir", "no aegis monitor database"}},
		{[]string{"--source", "/nonexistent/src"}, []string{"--source", "no such file"}},
	} {
		_, _, err := runCLI(t, append([]string{"risk", "protocol", sv.Address.Hex(), "--rpc", url}, c.args...)...)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v: err %v, want %q", c.args, err, w)
			}
		}
	}
}

// TestMatchSourceAmbiguous: two source contracts with the same selectors
// and events match a deployed code equally; the match reports both so the
// driver attaches no findings rather than guessing.
func TestMatchSourceAmbiguous(t *testing.T) {
	ctx := context.Background()
	a, err := auditSource(ctx, "../../contracts/src/vault")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := sourceContracts(ctx, a.files)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.name)
	}
	if !slices.Contains(names, "SafeVault") || !slices.Contains(names, "VulnerableVault") || slices.Contains(names, "Vault4626Base") {
		t.Fatalf("source contracts %v", names)
	}
	art, err := contracts.Load("VulnerableVault")
	if err != nil {
		t.Fatal(err)
	}
	br, err := bytecode.Analyze(art.DeployedBytecode, nil)
	if err != nil {
		t.Fatal(err)
	}
	if best := matchSource(br, art.DeployedBytecode, cs); len(best) != 1 || best[0].name != "VulnerableVault" {
		t.Errorf("match %v", best)
	}
	var twin []sourceContract
	for _, c := range cs {
		if c.name == "VulnerableVault" {
			d := c
			d.name = "Twin"
			twin = append(twin, c, d)
		}
	}
	if best := matchSource(br, art.DeployedBytecode, twin); len(best) != 2 {
		t.Errorf("twins: %d matches, want 2 (ambiguous)", len(best))
	}
}
