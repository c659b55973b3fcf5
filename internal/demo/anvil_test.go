package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/demo"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestLibraryDetectedPendingOnAnvil runs the whole attack library on a real
// Anvil node (--no-mining: every exploit waits in Anvil's mempool until the
// runner mines it) with the aegis monitor attached over WebSocket, and
// requires every scenario to be detected while its exploit was still
// pending and confirmed once mined — the same contract as on the embedded devnet, on a third-party
// node.
func TestLibraryDetectedPendingOnAnvil(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	a := testchain.StartAnvil(t, 10, "--no-mining")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env := &attack.Env{Client: a.Client, Deployer: a.Accounts[0], Guardian: a.Accounts[1],
		Attacker: a.Accounts[2], Users: a.Accounts[3:]}
	runner, err := demo.NewRunner(demo.Options{SkipSafe: true}, attack.Library(), nil,
		demo.Monitor(demo.MonitorOptions{PendingTimeout: 10 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := runner.Run(ctx, &demo.Session{Client: a.Client, Env: env, RPCURL: a.HTTPURL, WSURL: a.WSURL})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Scenarios) != len(attack.Library()) {
		t.Fatalf("%d scenarios ran, want %d", len(rep.Scenarios), len(attack.Library()))
	}
	for _, s := range rep.Scenarios {
		t.Logf("%-22s succeeded=%v profit=%.2f detected=%v stage=%s in %vms by %v",
			s.Name, s.Succeeded, s.AttackerProfitETH, s.Detected, s.DetectedStage, s.DetectionMS, s.Alerts)
		if !s.Succeeded || s.AttackerProfitETH <= 0 {
			t.Errorf("%s: the attack did not profit on Anvil", s.Name)
		}
		if !s.Detected || s.DetectedStage != "pending" {
			t.Errorf("%s: detected=%v stage=%q, want detection while pending", s.Name, s.Detected, s.DetectedStage)
		}
		if !s.Confirmed {
			t.Errorf("%s: the incident was not confirmed after mining", s.Name)
		}
	}
}

// TestGeneralisationDetectedPendingOnAnvil deploys and uses every
// generalisation scenario's protocols on Anvil (--no-mining: each exploit
// waits in the mempool until mined) BEFORE starting the monitor, which is
// then told only the victims' addresses: it learns their history from its
// start-up backfill (the honest deposits, the genuine bridge release, the
// thin market's listing). Every scenario must raise a high or critical
// observation on one of its exploit transactions while it is pending, and
// each attack must still pay (the monitor only watches).
func TestGeneralisationDetectedPendingOnAnvil(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	a := testchain.StartAnvil(t, 10, "--no-mining")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env := &attack.Env{Client: a.Client, Deployer: a.Accounts[0], Guardian: a.Accounts[1],
		Attacker: a.Accounts[2], Users: a.Accounts[3:]}

	// Deploy and use every protocol first.
	scenarios := attack.Generalisation()
	staged := make([]attack.Staged, len(scenarios))
	watch := monitor.NewWatchlist()
	for i, sc := range scenarios {
		s, err := sc.Setup(ctx, env, attack.Vulnerable)
		if err != nil {
			t.Fatalf("%s: %v", sc.Info().Name, err)
		}
		staged[i] = s
		for _, tg := range s.Targets() {
			watch.Set(detect.Protocol{Name: tg.Name, Addresses: []common.Address{tg.Address}})
		}
	}

	// Then the monitor, with its default backfill.
	dets, err := detectors.New(detectors.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	m, err := monitor.New(monitor.Config{RPCURL: a.WSURL, Watch: watch, Detectors: dets,
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		Prices:     pricing.New(pricing.Config{})})
	if err != nil {
		t.Fatal(err)
	}
	mctx, stop := context.WithCancel(ctx)
	runErr := make(chan error, 1)
	go func() { runErr <- m.Run(mctx) }()
	defer func() {
		stop()
		if err := <-runErr; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("monitor: %v", err)
		}
	}()
	select {
	case <-m.Ready():
	case err := <-runErr:
		t.Fatalf("monitor: %v", err)
	}
	bf := m.Backfilled()
	t.Logf("backfill: %+v", bf)

	for i, sc := range scenarios {
		name := sc.Info().Name
		var best alert.Severity
		var by []string
		res, err := attack.Execute(ctx, a.Client, staged[i], func(ctx context.Context, tx *types.Transaction) error {
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			r, err := m.WaitPending(wctx, tx.Hash())
			if err != nil {
				t.Logf("%s: exploit tx %s not processed while pending: %v", name, tx.Hash(), err)
				return nil
			}
			for _, o := range r.Observations {
				if o.Stage != alert.StagePending {
					continue
				}
				best = max(best, o.Severity)
				if o.Severity >= alert.SeverityHigh {
					by = append(by, o.Detector+": "+o.Message)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%-24s succeeded=%v pending max severity=%s %v", name, res.Succeeded, best, by)
		if !res.Succeeded || res.Profit().Sign() <= 0 {
			t.Errorf("%s: the attack did not pay on Anvil", name)
		}
		if best < alert.SeverityHigh {
			t.Errorf("%s: max pending severity %s, want high or critical while pending", name, best)
		}
	}
}
