package monitor_test

import (
	"context"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/rugpull"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/internal/risk/tokentestbed"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestRiskNewPairs: the monitor is started on an exchange with no pairs;
// then the token testbed is deployed on it (27 tokens, each listed through
// the router, which creates its pair). The monitor scores every new pair's
// tokens off the detection path and raises a critical token-risk alert for
// the honeypot whose sale reverts for non-whitelisted holders, and no high
// or critical alert for the honest tokens' pairs.
func TestRiskNewPairs(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	weth, err := testbed.DeployWETH(ctx, tc.Client, tc.Accounts[0])
	if err != nil {
		t.Fatal(err)
	}
	amm, err := testbed.DeployAMM(ctx, tc.Client, tc.Accounts[0], weth.Address)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		reports = map[common.Address]monitor.RiskResult{} // latest per token
		all     []monitor.RiskResult
	)
	rec := newRecorder()
	m, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.WSURL(), Watch: monitor.NewWatchlist(), OnEvent: rec.on, Logger: testLogger(t),
		Detectors:  []detect.Detector{rugpull.New(rugpull.Config{})},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		Risk: &monitor.RiskConfig{Factories: []common.Address{amm.Factory.Address}, OnReport: func(r monitor.RiskResult) {
			mu.Lock()
			reports[r.Token] = r
			all = append(all, r)
			mu.Unlock()
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	start := time.Now()
	tb, err := tokentestbed.Deploy(ctx, tc.Client, tc.Accounts, tokentestbed.Options{WETH: weth, AMM: amm})
	if err != nil {
		t.Fatal(err)
	}
	deployed := time.Since(start)

	// wait until every testbed token has a report with a trade simulation
	// (a pair created by the token's constructor is scored again when its
	// liquidity arrives)
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := 0
		for _, tk := range tb.Tokens {
			if r, ok := reports[tk.Address]; ok && traded(r.Report) {
				n++
			}
		}
		mu.Unlock()
		if n == len(tb.Tokens) {
			break
		}
		if time.Now().After(deadline) {
			for _, tk := range tb.Tokens {
				if r, ok := reports[tk.Address]; !ok || !traded(r.Report) {
					t.Logf("%s: %+v", tk.Name, r.Report)
				}
			}
			t.Fatalf("%d of %d tokens scored; stats %+v", n, len(tb.Tokens), m.RiskStats())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("deploy %v, all %d tokens scored after %v; stats %+v", deployed, len(tb.Tokens), time.Since(start), m.RiskStats())

	alerted := map[common.Address]alert.Event{}
	for _, ev := range rec.events() {
		for _, s := range ev.Alert.Evidence.Signals {
			if s.Detector == monitor.RiskDetector {
				alerted[common.HexToAddress(ev.Alert.Protocol.Address)] = ev
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	hp := tb.Token("RtShibaKingdom")
	r := reports[hp.Address]
	if r.Report.Level != risk.LevelCritical || r.Report.Flag("is_honeypot") != "1" || r.Reason == "first swap" || r.Pair != hp.Pair.Address {
		t.Errorf("honeypot %s: %s %d is_honeypot=%q (unknowns %q) reason %q pair %s", hp.Name, r.Report.Level, r.Report.RiskScore, r.Report.Flag("is_honeypot"), r.Report.Unknowns, r.Reason, r.Pair.Hex())
	}
	ev, ok := alerted[hp.Address]
	switch {
	case !ok:
		t.Errorf("no token-risk alert for the honeypot %s's new pair", hp.Name)
	case ev.Alert.Severity != alert.SeverityCritical:
		t.Errorf("honeypot alert severity %s", ev.Alert.Severity)
	default:
		msg := ev.Alert.Evidence.Signals[0].Message
		if !strings.Contains(msg, "new pair "+hp.Pair.Address.Hex()+" lists a honeypot") || !strings.Contains(msg, "cannot be sold") {
			t.Errorf("honeypot alert message: %s", msg)
		}
		t.Logf("alert: %s", msg)
	}
	honeypots, caught := 0, 0
	byAddr := map[common.Address]tokentestbed.Label{}
	for _, tk := range tb.Tokens {
		byAddr[tk.Address] = tk.Label
	}
	for _, r := range all {
		if l, ok := byAddr[r.Token]; ok && l.Honest && (r.Report.Level == risk.LevelHigh || r.Report.Level == risk.LevelCritical) {
			t.Errorf("honest %s (%s) scored %s at %s", l.Token, l.Mechanism, r.Report.Level, r.Reason)
		}
	}
	for _, tk := range tb.Tokens {
		rep := reports[tk.Address].Report
		_, al := alerted[tk.Address]
		if tk.Label.Honest {
			if al || rep.Level == risk.LevelHigh || rep.Level == risk.LevelCritical {
				t.Errorf("honest %s (%s): %s %d, alerted %v: %s", tk.Name, tk.Label.Mechanism, rep.Level, rep.RiskScore, al, monitor.RiskMessage("new pool", tk.Address, tk.Pair.Address, rep))
			}
			continue
		}
		if tk.Label.Flags.IsHoneypot {
			honeypots++
			if al {
				caught++
			}
			t.Logf("honeypot %s: %s %d alerted %v", tk.Name, rep.Level, rep.RiskScore, al)
		}
	}
	// Honeypots whose trap is armed after listing (owner toggles, per-holder
	// lists) are scored as they were when their pair was created.
	t.Logf("honeypots alerted at listing: %d of %d", caught, honeypots)
	mu.Unlock()

	// The honeypot's creator then pulls the liquidity from its (now
	// watched) pair: the rug-pull detector's alert carries the engine's
	// findings on the token.
	m.Watchlist().Add(detect.Protocol{Name: "SHIB/WETH", Addresses: []common.Address{hp.Pair.Address}})
	lp, err := hp.Pair.CallBig(ctx, "balanceOf", hp.Creator.Address)
	if err != nil || lp.Sign() == 0 {
		t.Fatalf("creator LP balance %v %v", lp, err)
	}
	if _, err := hp.Pair.Transact(ctx, hp.Creator, "transfer", hp.Pair.Address, lp); err != nil {
		t.Fatal(err)
	}
	if _, err := hp.Pair.Transact(ctx, hp.Creator, "burn", hp.Creator.Address); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	rug := rec.waitFor(t, wctx, "rug-pull", func(ev alert.Event) bool {
		return slices.Contains(ev.Alert.Detectors, rugpull.Name)
	})
	var msg string
	for _, s := range rug.Alert.Evidence.Signals {
		if s.Detector == rugpull.Name {
			msg = s.Message
		}
	}
	if want := "aegis risk of " + hp.Address.Hex() + ": critical"; !strings.Contains(msg, want) {
		t.Errorf("rug-pull message %q lacks %q", msg, want)
	}
	t.Logf("rug pull: %s", msg)

	// A second monitor without factories watches one honeypot's pool: the
	// first swap on it gets the pool's tokens scored.
	sp := tb.Token("RtSiphonMoon")
	rec2 := newRecorder()
	got := make(chan monitor.RiskResult, 8)
	m2, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.WSURL(), OnEvent: rec2.on, Logger: testLogger(t), BackfillBlocks: -1,
		Watch: monitor.NewWatchlist(detect.Protocol{Name: "MOON/WETH", Addresses: []common.Address{sp.Pair.Address}}),
		Risk:  &monitor.RiskConfig{OnReport: func(r monitor.RiskResult) { got <- r }},
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m2)
	if _, err := tb.Buy(ctx, tc.Accounts[tokentestbed.MinAccounts], sp, big.NewInt(1e17)); err != nil {
		t.Fatal(err)
	}
	ev = rec2.waitFor(t, wctx, "token-risk on first swap", func(ev alert.Event) bool {
		return slices.Contains(ev.Alert.Detectors, monitor.RiskDetector) && strings.EqualFold(ev.Alert.Protocol.Address, sp.Address.Hex())
	})
	if ev.Alert.Severity != alert.SeverityCritical || !strings.Contains(ev.Alert.Evidence.Signals[0].Message, "first traded on "+sp.Pair.Address.Hex()+", is a honeypot") {
		t.Errorf("first swap alert: %s %s", ev.Alert.Severity, ev.Alert.Evidence.Signals[0].Message)
	}
	for len(got) > 0 {
		if r := <-got; r.Reason != "first swap" {
			t.Errorf("second monitor scored %s for %q", r.Token.Hex(), r.Reason)
		}
	}
	mu.Lock()
}

// traded reports whether the report's trade simulation ran.
func traded(r *risk.Report) bool {
	for _, s := range r.Signals {
		if s.Name == "trade-simulation" {
			return s.Status == risk.StatusOK
		}
	}
	return false
}
