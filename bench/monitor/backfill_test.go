package monitorbench

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/sigdb"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// backfillOnce starts a fresh Monitor on the fixture's devnet with every
// fixture target watched and a backfill reaching back to the first
// recorded block, waits until it is ready and returns what the start-up
// backfill did.
func backfillOnce(ctx context.Context, f *fixture, blocks int) (monitor.BackfillResult, error) {
	m, err := monitor.New(monitor.Config{
		RPCURL: f.tc.Node.WSURL(), Watch: f.watchlist(len(f.targets)), Detectors: detectors.Default(detectors.DefaultConfig()),
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		Prices:     newPricer(f.weth, f.pools), Decoder: txmodel.NewDecoder(sigdb.Default()),
		BackfillBlocks: blocks, DisablePending: true,
	})
	if err != nil {
		return monitor.BackfillResult{}, err
	}
	rctx, stop := context.WithCancel(ctx)
	runErr := make(chan error, 1)
	go func() { runErr <- m.Run(rctx) }()
	defer func() {
		stop()
		<-runErr
	}()
	select {
	case <-m.Ready():
	case err := <-runErr:
		runErr <- err // for the deferred receive
		return monitor.BackfillResult{}, fmt.Errorf("monitor Run: %w", err)
	case <-time.After(2 * time.Minute):
		return monitor.BackfillResult{}, fmt.Errorf("monitor not ready after 2 min")
	}
	return m.Backfilled(), nil
}

// traceRange is the node's own debug_traceBlockByNumber (callTracer,
// withLog) time for blocks [from, to], one call per block over the
// in-process RPC client, and the number of transactions traced.
func traceRange(ctx context.Context, f *fixture, from, to uint64) (time.Duration, int, error) {
	var (
		total time.Duration
		txs   int
	)
	for n := from; n <= to; n++ {
		var res []json.RawMessage
		start := time.Now()
		if err := f.rpc.CallContext(ctx, &res, "debug_traceBlockByNumber", hexutil.EncodeUint64(n), tracerConfig()); err != nil {
			return 0, 0, fmt.Errorf("debug_traceBlockByNumber %d: %w", n, err)
		}
		total += time.Since(start)
		txs += len(res)
	}
	return total, txs, nil
}

// BenchmarkBackfill measures the monitor's start-up backfill
// (internal/monitor/backfill.go) over the fixture's blocks: a fresh
// Monitor watching the testbed contracts and the attack victims, with
// BackfillBlocks reaching back to the testbed deployment, replays the
// watched protocols' history (eth_getLogs, a block scan for calls without
// logs, one eth_getBlockByNumber + eth_getBlockReceipts +
// debug_traceBlockByNumber per block holding matching transactions, and
// the default detectors) before it becomes
// ready. One iteration is one start-up; the time is BackfillResult.Took.
// In the same iteration the node's own debug_traceBlockByNumber
// (callTracer, withLog) time over the same block range is measured, and
// ours/node is the ratio of the two. The CPU-time view, less sensitive to
// a loaded machine: ours-cpu-ms is the process's CPU time (getrusage) over
// the whole monitor start-up, including the in-process node serving the
// backfill's requests, node-trace-cpu-ms over the node's own block traces,
// and ours/node-cpu their ratio.
//
// The devnet keeps only recent state (pathdb, 128 blocks), so the fixture
// is smaller than the throughput benchmark's: AEGIS_BENCH_BACKFILL_TXS
// (default 200) benign traffic transactions, no attack library.
//
//	go test -run '^$' -bench 'Backfill$' -benchtime 3x ./bench/monitor/
func BenchmarkBackfill(b *testing.B) {
	ctx := context.Background()
	f := backfillFixture(b)
	// The monitor starts at the head and backfills the blocks before it:
	// mine one empty block so every recorded block is history.
	if err := f.tc.Commit(ctx); err != nil {
		b.Fatal(err)
	}
	head, err := f.tc.Node.Client().BlockNumber(ctx)
	if err != nil {
		b.Fatal(err)
	}
	span := int(head - f.first)
	b.Logf("fixture: blocks %d–%d, %d txs (built in %s)", f.first, head-1, f.txs, f.setup.Round(time.Second))
	var (
		ours, node       time.Duration
		oursCPU, nodeCPU time.Duration
		cpuOK            = true
		replayed, traced int
		blocks           int
	)
	for b.Loop() {
		c0, err0 := cpuTime()
		r, err := backfillOnce(ctx, f, span)
		if err != nil {
			b.Fatal(err)
		}
		c1, err1 := cpuTime()
		if len(r.Degraded) > 0 || r.Partial > 0 {
			b.Fatalf("backfill degraded: %+v", r)
		}
		if r.Took <= 0 || r.Txs == 0 {
			b.Fatalf("backfill replayed %d txs in %s", r.Txs, r.Took)
		}
		if r.From != f.first || r.To != head-1 {
			b.Fatalf("backfill covered %d–%d, want %d–%d", r.From, r.To, f.first, head-1)
		}
		d, n, err := traceRange(ctx, f, r.From, r.To)
		if err != nil {
			b.Fatal(err)
		}
		c2, err2 := cpuTime()
		cpuOK = cpuOK && err0 == nil && err1 == nil && err2 == nil
		oursCPU += c1 - c0
		nodeCPU += c2 - c1
		ours += r.Took
		node += d
		replayed += r.Txs
		traced += n
		blocks += int(r.To - r.From + 1)
	}
	b.StopTimer()
	it := float64(b.N)
	b.ReportMetric(float64(blocks)/ours.Seconds(), "blocks/s")
	b.ReportMetric(float64(replayed)/ours.Seconds(), "tx/s")
	b.ReportMetric(float64(blocks)/it, "blocks")
	b.ReportMetric(float64(replayed)/it, "replayed-txs")
	b.ReportMetric(float64(traced)/it, "chain-txs")
	b.ReportMetric(float64(ours.Microseconds())/1e3/it, "ours-ms")
	b.ReportMetric(float64(node.Microseconds())/1e3/it, "node-trace-ms")
	b.ReportMetric(ours.Seconds()/node.Seconds(), "ours/node")
	if cpuOK && oursCPU > 0 && nodeCPU > 0 {
		b.ReportMetric(float64(oursCPU.Microseconds())/1e3/it, "ours-cpu-ms")
		b.ReportMetric(float64(nodeCPU.Microseconds())/1e3/it, "node-trace-cpu-ms")
		b.ReportMetric(oursCPU.Seconds()/nodeCPU.Seconds(), "ours/node-cpu")
	}
}
