package risk

import (
	"context"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// depositScenario is a protocol whose contracts hold deposits: two ERC-4626
// vaults (share tokens) and two flash-loan pools (internal accounting: the
// deposits are only visible as token inflows), one of each dominated by a
// single depositor and one evenly spread, and an ether bank.
type depositScenario struct {
	vaultDominated, vaultEven, poolDominated, poolEven, bank common.Address
	whale                                                    common.Address
}

func deployDeposits(t *testing.T, c *chain.Client, acc []chain.Account) depositScenario {
	t.Helper()
	ctx := context.Background()
	deploy := func(name string, args ...any) *chain.Contract {
		t.Helper()
		return deployAs(t, c, acc[0], name, args...)
	}
	tx := func(k *chain.Contract, from chain.Account, method string, args ...any) {
		t.Helper()
		mustTx(t, k, from, method, args...)
	}
	weth := deploy("WETH9")
	for _, a := range acc[:6] {
		if _, err := weth.TransactValue(ctx, a, chain.Ether(1000), "deposit"); err != nil {
			t.Fatal(err)
		}
	}
	vault := func(amounts []int64) common.Address {
		v := deploy("SafeVault", weth.Address, acc[0].Address)
		for i, x := range amounts {
			tx(weth, acc[i+1], "approve", v.Address, chain.Ether(x))
			tx(v, acc[i+1], "deposit", chain.Ether(x), acc[i+1].Address)
		}
		return v.Address
	}
	pool := func(amounts []int64) *chain.Contract {
		p := deploy("FlashLoanPool", acc[0].Address, big.NewInt(9))
		for i, x := range amounts {
			tx(weth, acc[i+1], "approve", p.Address, chain.Ether(x))
			tx(p, acc[i+1], "deposit", weth.Address, chain.Ether(x))
		}
		return p
	}
	s := depositScenario{whale: acc[1].Address}
	s.vaultDominated = vault([]int64{85, 10, 5})
	s.vaultEven = vault([]int64{10, 10, 10, 10, 10})
	// acc[1] supplies 60; acc[2] supplies 50 and takes 40 back: net 60 of
	// 70 (86%), where counting gross inflows would say 55%.
	pd := pool([]int64{60, 50})
	tx(pd, acc[2], "withdraw", weth.Address, chain.Ether(40))
	s.poolDominated = pd.Address
	s.poolEven = pool([]int64{20, 20, 20, 20, 20}).Address
	bankABI := load(t, "SafeBank")
	bank, _, err := c.Deploy(ctx, acc[0], bankABI.ABI, bankABI.Bytecode, acc[0].Address)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bank.TransactValue(ctx, acc[1], chain.Ether(5), "deposit"); err != nil {
		t.Fatal(err)
	}
	s.bank = bank.Address
	return s
}

func (s depositScenario) addrs() []common.Address {
	return []common.Address{s.vaultDominated, s.vaultEven, s.poolDominated, s.poolEven, s.bank}
}

func checkDeposits(t *testing.T, ec *ethclient.Client, rc *rpc.Client, s depositScenario) {
	ctx := context.Background()
	pr, err := AnalyzeProtocol(ctx, ec, rc, s.addrs(), Options{Holders: 1})
	if err != nil {
		t.Fatal(err)
	}
	byAddr := map[common.Address]ContractRisk{}
	for _, c := range pr.Contracts {
		byAddr[common.HexToAddress(c.Address)] = c
	}
	whale := strings.ToLower(s.whale.Hex())
	for _, tc := range []struct {
		name      string
		addr      common.Address
		mechanism string
		top1      string
		points    int
	}{
		{"vault dominated", s.vaultDominated, DepositShares, "0.85", depositPointsHigh},
		{"vault even", s.vaultEven, DepositShares, "0.2", 0},
		{"pool dominated", s.poolDominated, DepositInflow, "0.857143", depositPointsHigh},
		{"pool even", s.poolEven, DepositInflow, "0.2", 0},
	} {
		c := byAddr[tc.addr]
		d := c.Deposits
		if d == nil || d.Status != StatusOK || len(d.Pools) != 1 {
			t.Errorf("%s: deposits %+v", tc.name, d)
			continue
		}
		p := d.Pools[0]
		if p.Mechanism != tc.mechanism || p.Top1 != tc.top1 {
			t.Errorf("%s: mechanism %s top1 %s, want %s %s", tc.name, p.Mechanism, p.Top1, tc.mechanism, tc.top1)
		}
		f := c.Report.Factor("deposit-concentration")
		switch {
		case tc.points == 0 && f != nil:
			t.Errorf("%s: concentration factor on an even spread: %+v", tc.name, f)
		case tc.points > 0 && (f == nil || f.Points != tc.points || f.Evidence[0].Address != whale):
			t.Errorf("%s: factor %+v, want %d points on %s", tc.name, f, tc.points, whale)
		case tc.points > 0 && p.Top[0].Address != whale:
			t.Errorf("%s: top depositor %s, want %s", tc.name, p.Top[0].Address, whale)
		}
		if tc.points > 0 && c.Report.RiskScore < tc.points {
			t.Errorf("%s: score %d below the factor's %d", tc.name, c.Report.RiskScore, tc.points)
		}
	}
	if d := byAddr[s.bank].Deposits; d == nil || d.Status != StatusUnknown || !strings.Contains(d.Reason, "ether") {
		t.Errorf("ether bank: deposits %+v, want unknown (ether leaves no logs)", d)
	}
	if !slices.ContainsFunc(byAddr[s.bank].Report.Unknowns, func(u string) bool { return strings.HasPrefix(u, "deposit-concentration: ") }) {
		t.Errorf("ether bank: unknown not reported: %v", byAddr[s.bank].Report.Unknowns)
	}
	checkIncidents(t, pr, s)
}

// checkIncidents writes alerts with the monitor's own store and applies
// them while the store is still open (its lock held, as by a running
// monitor).
func checkIncidents(t *testing.T, pr *ProtocolReport, s depositScenario) {
	ctx := context.Background()
	now := time.Now()
	// No store: unknown, never "0 incidents".
	if pr.IncidentHistory.Status != StatusUnknown || pr.IncidentHistory.Reason != NoMonitorStore {
		t.Errorf("no store: %+v", pr.IncidentHistory)
	}
	for _, c := range pr.Contracts {
		if c.Report.Factor("incidents") != nil || !slices.ContainsFunc(c.Report.Signals, func(r SignalResult) bool {
			return r.Name == "incident-history" && r.Status == StatusUnknown
		}) {
			t.Errorf("%s: incident-history not unknown without a store", c.Address)
		}
	}
	write := func(alerts ...alert.Alert) string {
		t.Helper()
		dir := t.TempDir()
		st, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		for i, a := range alerts {
			if err := st.SaveEvent(ctx, alert.Event{Kind: alert.EventOpened, Seq: uint64(i + 1), At: now, Alert: &a}); err != nil {
				t.Fatal(err)
			}
		}
		return dir // left open: the reader must not need the lock
	}
	other := common.HexToAddress("0x00000000000000000000000000000000000b0b01")
	onOther := alert.Alert{ID: "alert-other", Severity: alert.SeverityCritical, Stage: alert.StageConfirmed, Title: "reentrancy drain",
		Protocol: alert.Protocol{Address: other.Hex()}, Detectors: []string{"reentrancy"}, DetectedAt: now.Add(-time.Hour),
		Evidence: alert.Evidence{Txs: []alert.TxRef{{Hash: "0xaa", Stage: alert.StageConfirmed}}}}
	onVault := alert.Alert{ID: "alert-vault-1", Severity: alert.SeverityCritical, Stage: alert.StageConfirmed, Title: "share price manipulation",
		Protocol: alert.Protocol{Address: s.vaultEven.Hex()}, Detectors: []string{"vault-inflation"}, DetectedAt: now.Add(-24 * time.Hour),
		Evidence: alert.Evidence{Txs: []alert.TxRef{{Hash: "0xbeef", Stage: alert.StageConfirmed}}}}
	mediumOnPool := alert.Alert{ID: "alert-pool-medium", Severity: alert.SeverityMedium, Stage: alert.StageConfirmed, Title: "odd flash loan",
		Victim: strings.ToLower(s.poolEven.Hex()), DetectedAt: now.Add(-time.Hour)}

	h, err := LoadMonitorHistory(ctx, write(onOther, onVault, mediumOnPool))
	if err != nil {
		t.Fatal(err)
	}
	pr.ApplyIncidents(h, "", now)
	if pr.IncidentHistory.Status != StatusOK || pr.IncidentHistory.Alerts != 3 {
		t.Errorf("history %+v", pr.IncidentHistory)
	}
	for _, c := range pr.Contracts {
		f := c.Report.Factor("incidents")
		switch common.HexToAddress(c.Address) {
		case s.vaultEven:
			if f == nil || f.Points != 30 || !strings.Contains(f.Evidence[0].Detail, "alert-vault-1") || !strings.Contains(f.Evidence[0].Detail, "0xbeef") {
				t.Errorf("vault with a critical incident: factor %+v", f)
			}
			if len(c.Incidents) != 1 || !c.Incidents[0].Confirmed || c.Incidents[0].Role != "protocol" {
				t.Errorf("vault incidents %+v", c.Incidents)
			}
			if c.Report.RiskScore < 30 || pr.RiskScore < c.Report.RiskScore {
				t.Errorf("scores: contract %d, protocol %d", c.Report.RiskScore, pr.RiskScore)
			}
		case s.poolEven:
			if f != nil || len(c.Incidents) != 1 || c.Incidents[0].Role != "victim" || c.Incidents[0].Points != 0 {
				t.Errorf("pool with a medium alert: factor %+v incidents %+v", f, c.Incidents)
			}
		default:
			if f != nil || len(c.Incidents) != 0 {
				t.Errorf("%s: incidents %+v factor %+v", c.Address, c.Incidents, f)
			}
		}
	}
	// Only alerts on other addresses: no factor anywhere, signal ok.
	h, err = LoadMonitorHistory(ctx, write(onOther))
	if err != nil {
		t.Fatal(err)
	}
	pr.ApplyIncidents(h, "", now)
	for _, c := range pr.Contracts {
		ok := slices.ContainsFunc(c.Report.Signals, func(r SignalResult) bool { return r.Name == "incident-history" && r.Status == StatusOK })
		if c.Report.Factor("incidents") != nil || !ok || len(c.Incidents) != 0 {
			t.Errorf("%s: alerts on other addresses gave %+v (signal ok %v)", c.Address, c.Report.Factor("incidents"), ok)
		}
	}
}

func TestProtocolDepositsDevnet(t *testing.T) {
	env := testchain.New(t)
	s := deployDeposits(t, env.Client, env.Accounts)
	ec := env.Node.Client()
	checkDeposits(t, ec, ec.Client(), s)
}

func TestProtocolDepositsAnvil(t *testing.T) {
	a := startAnvil(t, 6)
	s := deployDeposits(t, a.Client, a.Accounts)
	checkDeposits(t, ethclient.NewClient(a.RPC), a.RPC, s)
}

// TestIncidentPoints: severity, stage and age weights and the cap.
func TestIncidentPoints(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := func(sev alert.Severity, st alert.Stage, age time.Duration) alert.Alert {
		return alert.Alert{ID: "x", Severity: sev, Stage: st, DetectedAt: now.Add(-age)}
	}
	day := 24 * time.Hour
	for _, tc := range []struct {
		a    alert.Alert
		want int
	}{
		{a(alert.SeverityCritical, alert.StageConfirmed, day), 30},
		{a(alert.SeverityCritical, alert.StageConfirmed, 100*day), 15},
		{a(alert.SeverityCritical, alert.StageConfirmed, 400*day), 8},
		{a(alert.SeverityHigh, alert.StageConfirmed, day), 15},
		{a(alert.SeverityHigh, alert.StagePending, day), 8},
		{a(alert.SeverityCritical, alert.StageDropped, day), 8},
		{a(alert.SeverityMedium, alert.StageConfirmed, day), 0},
	} {
		if got := incidentPoints(tc.a, now); got != tc.want {
			t.Errorf("%s %s %v: %d points, want %d", tc.a.Severity, tc.a.Stage, now.Sub(tc.a.DetectedAt), got, tc.want)
		}
	}
	bot := a(alert.SeverityCritical, alert.StageConfirmed, day)
	bot.Allowlisted = &alert.AllowlistMatch{Label: "mev bot"}
	if incidentPoints(bot, now) != 0 {
		t.Error("allowlisted alert scored")
	}
	addr := "0x00000000000000000000000000000000000000aa"
	pr := &ProtocolReport{Contracts: []ContractRisk{{Address: addr, Report: &Report{Flags: map[string]any{}}}}}
	var als []alert.Alert
	for i := range 3 {
		x := a(alert.SeverityCritical, alert.StageConfirmed, day)
		x.ID, x.Attacker = "c"+string(rune('0'+i)), addr
		als = append(als, x)
	}
	pr.ApplyIncidents(&MonitorHistory{Path: "mem", Alerts: als}, "", now)
	if f := pr.Contracts[0].Report.Factor("incidents"); f == nil || f.Points != maxIncidentPoints || len(f.Evidence) != 3 {
		t.Errorf("three critical incidents: %+v", f)
	}
	if pr.RiskScore != maxIncidentPoints || pr.Contracts[0].Incidents[0].Role != "attacker" {
		t.Errorf("protocol score %d, incidents %+v", pr.RiskScore, pr.Contracts[0].Incidents)
	}
}
