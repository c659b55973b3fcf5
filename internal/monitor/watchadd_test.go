package monitor_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestWatchAddedAtRunTimeBackfilled: a contract with deposits made before
// the monitor started, added to the watchlist while the monitor runs
// (watching only a pool), has its history backfilled: its pre-monitor
// depositors' withdrawals are not reported at medium or above (with the
// history unknown they are capped at medium, TestUnseenProtocolsNoBackfill),
// and a reentrancy drain beyond the attacker's deposit is still high or
// critical.
func TestWatchAddedAtRunTimeBackfilled(t *testing.T) {
	e := testchain.New(t)
	ch := unseenChain{url: e.Node.WSURL(), client: e.Client, accounts: e.Accounts, mine: e.Commit}
	ctx := testCtx(t)
	f := deployUnseen(ctx, t, ch.client, ch.accounts)
	r := &unseenRun{t: t, ch: ch, f: f, obs: map[string][]alert.Observation{}, pendFor: 3 * time.Second}
	var dets []detect.Detector
	for _, d := range detectors.Default(detectors.DefaultConfig()) {
		dets = append(dets, tap{Detector: d, mu: &r.mu, obs: r.obs})
	}
	w := monitor.NewWatchlist(detect.Protocol{Name: "pool COL/USDX", Addresses: []common.Address{f.pairA.Address}})
	m, err := monitor.New(monitor.Config{
		RPCURL: ch.url, Watch: w, Detectors: dets,
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		Prices:     pricing.New(pricing.Config{}), Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	r.m = m
	running(t, ctx, m)
	t.Logf("start-up backfill (the pool only): %+v", m.Backfilled())
	r.swap(ctx, "swap USDX→COL", f.users[0], f.pairA, f.usdx, f.col, kilo(2))

	w.Add(detect.Protocol{Name: "ether wallet", Addresses: []common.Address{f.wallet.Address}})
	// The next block processed runs the added protocol's backfill first.
	if err := ch.mine(ctx); err != nil {
		t.Fatal(err)
	}
	head, err := ch.client.Backend().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err = m.WaitBlock(wctx, head)
	cancel()
	if err != nil {
		t.Fatal(err)
	}

	for i, d := range f.walletDepositors {
		r.send(ctx, fmt.Sprintf("wallet withdrawAll (pre-monitor depositor %d)", i+1), false, d, f.wallet, nil, 0, "withdrawAll")
	}
	r.send(ctx, "wallet deposit", false, f.users[3], f.wallet, chain.Ether(12), 0, "deposit")
	r.send(ctx, "wallet deposit 2", false, f.users[5], f.wallet, chain.Ether(12), 0, "deposit")
	r.send(ctx, "ATTACK cross-function reentrancy", true, f.attacker, f.reenterA, f.reentStake, 6_000_000, "go")

	for _, s := range r.steps {
		t.Logf("%-48s | pending %-8s | mined %-8s | %v %v", s.name, sevName(s.pending), sevName(s.confirmed), s.pendDets, s.confDets)
		for _, msg := range s.msgs {
			t.Logf("    %s", msg)
		}
		switch {
		case s.attack:
			if s.pending < alert.SeverityHigh && s.confirmed < alert.SeverityHigh {
				t.Errorf("%s: pending %s, mined %s; want high or critical", s.name, sevName(s.pending), sevName(s.confirmed))
			}
		case s.pending >= alert.SeverityMedium || s.confirmed >= alert.SeverityMedium:
			t.Errorf("%s: pending %s, mined %s; want below medium (the added protocol's history is backfilled)", s.name, sevName(s.pending), sevName(s.confirmed))
		}
	}
	if len(f.walletDepositors) == 0 {
		t.Fatal("fixture has no pre-monitor depositors")
	}
}
