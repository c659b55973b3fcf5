package monitorbench

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/sigdb"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// sample is one pending transaction's latencies.
type sample struct {
	attack     bool
	simulated  bool
	alerted    bool
	sendToDone time.Duration // send call returned → monitor finished
	seenToDone time.Duration // monitor received it → monitor finished
}

// percentile returns the q-quantile (nearest rank) of ds.
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// ms converts d to milliseconds with microsecond precision.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }

// BenchmarkPendingLatency runs a Monitor (default detectors, pricer with
// the testbed pools, RPC holdings) on a fresh devnet's WebSocket in manual
// mining, watching the testbed. It sends AEGIS_BENCH_PENDING_SWAPS (default
// 200) benign router swaps and AEGIS_BENCH_ATTACK_ROUNDS (default 2) runs
// of the whole attack library, one transaction at a time: send, wait for
// the monitor's pending result, mine. It reports p50/p95/p99 of send
// returned → result (all, benign, attack, only those the prefilter sent
// to simulation) and of seen → done (the monitor's own SeenAt/DoneAt). Use -benchtime 1x.
//
//	go test -run '^$' -bench PendingLatency -benchtime 1x ./bench/monitor/
func BenchmarkPendingLatency(b *testing.B) {
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		samples, err := pendingRun(ctx, b, envInt("AEGIS_BENCH_PENDING_SWAPS", 200), envInt("AEGIS_BENCH_ATTACK_ROUNDS", 2))
		cancel()
		if err != nil {
			b.Skipf("pending latency run: %v", err)
		}
		var all, benign, atk, seen, sim []time.Duration
		alerted, attacks, attacksSim := 0, 0, 0
		for _, s := range samples {
			all = append(all, s.sendToDone)
			if s.simulated {
				sim = append(sim, s.sendToDone)
				if s.attack {
					attacksSim++
				}
			}
			seen = append(seen, s.seenToDone)
			if s.attack {
				atk = append(atk, s.sendToDone)
				attacks++
				if s.alerted {
					alerted++
				}
			} else {
				benign = append(benign, s.sendToDone)
			}
		}
		b.ReportMetric(float64(len(samples)), "pending-txs")
		b.ReportMetric(float64(alerted), "attack-txs-alerted")
		b.ReportMetric(float64(attacks), "attack-txs")
		b.ReportMetric(float64(attacksSim), "attack-txs-simulated")
		b.ReportMetric(float64(len(sim)), "simulated-txs")
		for _, m := range []struct {
			name string
			ds   []time.Duration
		}{{"send", all}, {"benign", benign}, {"attack", atk}, {"simulated", sim}, {"seen", seen}} {
			b.ReportMetric(ms(percentile(m.ds, 0.50)), m.name+"-p50-ms")
			b.ReportMetric(ms(percentile(m.ds, 0.95)), m.name+"-p95-ms")
			b.ReportMetric(ms(percentile(m.ds, 0.99)), m.name+"-p99-ms")
		}
		b.ReportMetric(ms(slices.Max(all)), "send-max-ms")
	}
}

// pendingRun sets up the devnet, testbed and monitor and collects the
// samples.
func pendingRun(ctx context.Context, b *testing.B, swaps, attackRounds int) ([]sample, error) {
	tc, err := testchain.Start(ctx, 10)
	if err != nil {
		return nil, err
	}
	defer tc.Close()
	deployer, guardian, trader := tc.Accounts[0], tc.Accounts[1], tc.Accounts[5]
	tb, err := testbed.Deploy(ctx, tc.Client, deployer, guardian, testbed.Options{})
	if err != nil {
		return nil, fmt.Errorf("deploy testbed: %w", err)
	}
	pools, err := poolStates(ctx, tb)
	if err != nil {
		return nil, err
	}
	watch := monitor.NewWatchlist()
	for _, n := range tb.Contracts() {
		watch.Add(detect.Protocol{Name: n.Name, Addresses: []common.Address{n.Contract.Address}})
	}
	m, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.WSURL(), Watch: watch, Detectors: detectors.Default(detectors.DefaultConfig()),
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		Prices:     newPricer(tb.WETH.Address, pools), Decoder: txmodel.NewDecoder(sigdb.Default()),
	})
	if err != nil {
		return nil, err
	}
	rctx, stop := context.WithCancel(ctx)
	runErr := make(chan error, 1)
	go func() { runErr <- m.Run(rctx) }()
	defer func() {
		stop()
		<-runErr
	}()
	// Let the monitor connect and subscribe before the first send.
	if err := tc.Commit(ctx); err != nil {
		return nil, err
	}
	head, err := tc.Node.Client().BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	err = m.WaitBlock(wctx, head)
	wcancel()
	if err != nil {
		return nil, fmt.Errorf("monitor did not start: %w", err)
	}
	time.Sleep(200 * time.Millisecond) // the mempool subscription

	var samples []sample
	wait := func(ctx context.Context, tx *types.Transaction, sent time.Time, isAttack bool) error {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		r, err := m.WaitPending(wctx, tx.Hash())
		if err != nil {
			return err
		}
		s := sample{attack: isAttack, simulated: r.Simulated, sendToDone: r.DoneAt.Sub(sent), seenToDone: r.DoneAt.Sub(r.SeenAt)}
		for _, ev := range r.Events {
			if ev.Kind == alert.EventOpened || ev.Kind == alert.EventUpdated {
				s.alerted = true
			}
		}
		samples = append(samples, s)
		return nil
	}

	// Benign swaps through the watched router, alternating directions on
	// ETH→TKN so the trader never runs dry.
	router := tb.AMM.Router
	deadline := big.NewInt(time.Now().Add(24 * time.Hour).Unix())
	wethTKN := []common.Address{tb.WETH.Address, tb.TKN.Address}
	for i := range swaps {
		in := new(big.Int).Mul(big.NewInt(int64(1+i%7)), big.NewInt(1e16)) // 0.01–0.07 ETH
		data, err := router.Pack("swapExactETHForTokens", big.NewInt(0), wethTKN, trader.Address, deadline)
		if err != nil {
			return nil, err
		}
		tx, err := tc.Client.BuildTx(ctx, trader, &router.Address, data, chain.TxOpts{Value: in, GasLimit: 300_000})
		if err != nil {
			return nil, fmt.Errorf("swap %d: %w", i, err)
		}
		if err := tc.Client.Backend().SendTransaction(ctx, tx); err != nil {
			return nil, fmt.Errorf("swap %d: send: %w", i, err)
		}
		sent := time.Now()
		if err := wait(ctx, tx, sent, false); err != nil {
			return nil, fmt.Errorf("swap %d: %w", i, err)
		}
		if err := tc.Commit(ctx); err != nil {
			return nil, err
		}
	}

	aenv := &attack.Env{Client: tc.Client, Deployer: deployer, Guardian: guardian, Attacker: tc.Accounts[3], Users: tc.Accounts[6:]}
	for round := range attackRounds {
		for _, sc := range attack.Library() {
			staged, err := sc.Setup(ctx, aenv, attack.Vulnerable)
			if err != nil {
				return nil, fmt.Errorf("round %d %s setup: %w", round, sc.Info().Name, err)
			}
			for _, tg := range staged.Targets() {
				if !watch.Watched(tg.Address) {
					watch.Add(detect.Protocol{Name: fmt.Sprintf("%s-%d/%s", sc.Info().Name, round, tg.Name), Addresses: []common.Address{tg.Address}})
				}
			}
			_, err = attack.Execute(ctx, tc.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
				return wait(ctx, tx, time.Now(), true)
			})
			if err != nil {
				return nil, fmt.Errorf("round %d %s: %w", round, sc.Info().Name, err)
			}
		}
	}
	if len(samples) == 0 {
		return nil, errors.New("no pending transaction measured")
	}
	st := m.Stats()
	b.Logf("monitor: pending seen %d, simulated %d, queue drops %d, blocks %d, alerts %v",
		st.PendingSeen, st.PendingSimulated, st.PendingQueueDrop, st.BlocksProcessed, st.AlertsByDetector)
	return samples, nil
}
