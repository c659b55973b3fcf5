package monitorbench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/traffic"
)

// envInt reads a positive integer from the environment, else def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// recordedBlock is one block as the node returned it: the full block, its
// receipts and its call traces, as raw JSON.
type recordedBlock struct {
	Number   uint64
	Block    json.RawMessage
	Receipts json.RawMessage
	Traces   json.RawMessage
}

// fixture is a devnet with the testbed deployed, benign traffic and the
// attack library mined, and every block since the deployment recorded.
type fixture struct {
	tc      *testchain.Env
	tb      *testbed.Testbed
	rpc     *rpc.Client
	targets []detect.Protocol // testbed contracts and attack victims
	pools   []pricing.Pool
	weth    common.Address
	blocks  []recordedBlock
	txs     int
	// first is the first recorded block.
	first uint64
	setup time.Duration
	// nodeTrace is the node's own debug_traceBlockByNumber time for every
	// recorded block (best of 3 per block).
	nodeTrace time.Duration
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
)

// sharedFixture builds the fixture once per process; the devnet stays up
// until the process exits.
func sharedFixture(b *testing.B) *fixture {
	b.Helper()
	fixOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		fix, fixErr = newFixture(ctx, envInt("AEGIS_BENCH_TRAFFIC_TXS", 500), true)
	})
	if fixErr != nil {
		b.Skipf("devnet fixture unavailable: %v", fixErr)
	}
	return fix
}

var (
	bfOnce sync.Once
	bfFix  *fixture
	bfErr  error
)

// backfillFixture builds, once per process, the smaller fixture of
// BenchmarkBackfill: the testbed and AEGIS_BENCH_BACKFILL_TXS (200) benign
// traffic transactions, no attack library, so that every block is still
// within the devnet's recent state and can be traced again.
func backfillFixture(b *testing.B) *fixture {
	b.Helper()
	bfOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		bfFix, bfErr = newFixture(ctx, envInt("AEGIS_BENCH_BACKFILL_TXS", 200), false)
	})
	if bfErr != nil {
		b.Skipf("devnet fixture unavailable: %v", bfErr)
	}
	return bfFix
}

// newFixture starts the devnet and generates and records the traffic, then,
// if attacks, runs and records the attack library.
func newFixture(ctx context.Context, trafficTxs int, attacks bool) (*fixture, error) {
	start := time.Now()
	tc, err := testchain.Start(ctx, 10)
	if err != nil {
		return nil, err
	}
	f := &fixture{tc: tc, rpc: tc.Node.Client().Client()}
	ok := false
	defer func() {
		if !ok {
			_ = tc.Close()
		}
	}()
	deployer, guardian := tc.Accounts[0], tc.Accounts[1]
	head, err := tc.Node.Client().BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	f.first = head + 1
	if f.tb, err = testbed.Deploy(ctx, tc.Client, deployer, guardian, testbed.Options{}); err != nil {
		return nil, fmt.Errorf("deploy testbed: %w", err)
	}
	for _, n := range f.tb.Contracts() {
		f.targets = append(f.targets, detect.Protocol{Name: n.Name, Addresses: []common.Address{n.Contract.Address}})
	}
	f.weth = f.tb.WETH.Address
	if f.pools, err = poolStates(ctx, f.tb); err != nil {
		return nil, err
	}
	if err := f.recordNew(ctx); err != nil {
		return nil, err
	}
	gen, err := traffic.New(traffic.Config{Seed: 7, Transactions: trafficTxs}, tc.Client, f.tb, tc.Accounts[2], nil)
	if err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	if _, err := gen.Run(ctx); err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	if err := f.recordNew(ctx); err != nil {
		return nil, err
	}
	aenv := &attack.Env{Client: tc.Client, Deployer: deployer, Guardian: guardian, Attacker: tc.Accounts[3], Users: tc.Accounts[4:]}
	var library []attack.Scenario
	if attacks {
		library = attack.Library()
	}
	for _, sc := range library {
		staged, err := sc.Setup(ctx, aenv, attack.Vulnerable)
		if err != nil {
			return nil, fmt.Errorf("%s setup: %w", sc.Info().Name, err)
		}
		for _, tg := range staged.Targets() {
			f.targets = append(f.targets, detect.Protocol{Name: sc.Info().Name + "/" + tg.Name, Addresses: []common.Address{tg.Address}})
		}
		if _, err := attack.Execute(ctx, tc.Client, staged, nil); err != nil {
			return nil, fmt.Errorf("%s execute: %w", sc.Info().Name, err)
		}
		if err := f.recordNew(ctx); err != nil {
			return nil, err
		}
	}
	if err := f.recordNew(ctx); err != nil {
		return nil, err
	}
	for _, rb := range f.blocks {
		var blk struct {
			Transactions []json.RawMessage `json:"transactions"`
		}
		if err := json.Unmarshal(rb.Block, &blk); err != nil {
			return nil, fmt.Errorf("block %d: %w", rb.Number, err)
		}
		f.txs += len(blk.Transactions)
	}
	f.setup = time.Since(start)
	ok = true
	return f, nil
}

// recordNew records every block mined since the last recorded one. The
// devnet keeps only recent state (pathdb), so blocks are traced soon after
// they are mined; the node's own tracing time is measured then too.
func (f *fixture) recordNew(ctx context.Context) error {
	head, err := f.tc.Node.Client().BlockNumber(ctx)
	if err != nil {
		return err
	}
	next := f.first
	if len(f.blocks) > 0 {
		next = f.blocks[len(f.blocks)-1].Number + 1
	}
	for n := next; n <= head; n++ {
		rb, err := f.record(ctx, n)
		if err != nil {
			return err
		}
		d, err := f.traceTime(ctx, n, 3)
		if err != nil {
			return err
		}
		f.nodeTrace += d
		f.blocks = append(f.blocks, rb)
	}
	return nil
}

// traceTime is the best of rounds of one debug_traceBlockByNumber
// (callTracer, withLog) call for block n over in-process RPC.
func (f *fixture) traceTime(ctx context.Context, n uint64, rounds int) (time.Duration, error) {
	var best time.Duration
	for range rounds {
		var raw json.RawMessage
		start := time.Now()
		if err := f.rpc.CallContext(ctx, &raw, "debug_traceBlockByNumber", hexutil.EncodeUint64(n), tracerConfig()); err != nil {
			return 0, fmt.Errorf("trace block %d: %w", n, err)
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return best, nil
}

// record fetches block n, its receipts and its call traces in one batch.
func (f *fixture) record(ctx context.Context, n uint64) (recordedBlock, error) {
	rb := recordedBlock{Number: n}
	arg := hexutil.EncodeUint64(n)
	batch := []rpc.BatchElem{
		{Method: "eth_getBlockByNumber", Args: []any{arg, true}, Result: &rb.Block},
		{Method: "eth_getBlockReceipts", Args: []any{arg}, Result: &rb.Receipts},
		{Method: "debug_traceBlockByNumber", Args: []any{arg, tracerConfig()}, Result: &rb.Traces},
	}
	if err := f.rpc.BatchCallContext(ctx, batch); err != nil {
		return rb, fmt.Errorf("record block %d: %w", n, err)
	}
	for _, e := range batch {
		if e.Error != nil {
			return rb, fmt.Errorf("record block %d: %s: %w", n, e.Method, e.Error)
		}
	}
	return rb, nil
}

// tracerConfig is the tracer configuration the monitor's fetcher uses.
func tracerConfig() map[string]any {
	return map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}}
}

// poolStates reads both testbed pairs' tokens and reserves.
func poolStates(ctx context.Context, tb *testbed.Testbed) ([]pricing.Pool, error) {
	var out []pricing.Pool
	for _, pair := range []*chain.Contract{tb.Pair, tb.Pair2} {
		t0, err0 := pair.Call(ctx, "token0")
		t1, err1 := pair.Call(ctx, "token1")
		res, err2 := pair.Call(ctx, "getReserves")
		if err0 != nil || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("pair %s state: %v %v %v", pair.Address, err0, err1, err2)
		}
		a0, _ := t0[0].(common.Address)
		a1, _ := t1[0].(common.Address)
		r0, _ := res[0].(*big.Int)
		r1, _ := res[1].(*big.Int)
		out = append(out, pricing.Pool{Address: pair.Address, Token0: a0, Token1: a1, Reserve0: r0, Reserve1: r1})
	}
	return out, nil
}

// newPricer returns a fresh Pricer seeded with the testbed's pools.
func newPricer(weth common.Address, pools []pricing.Pool) *pricing.Pricer {
	p := pricing.New(pricing.Config{WETH: []common.Address{weth}})
	for _, pl := range pools {
		p.SetPool(pl)
	}
	return p
}

// watchlist returns a watchlist of n protocols: the fixture's real
// contracts first, then synthetic addresses (never touched) up to n.
func (f *fixture) watchlist(n int) *monitor.Watchlist {
	w := monitor.NewWatchlist()
	for i := 0; i < n; i++ {
		if i < len(f.targets) {
			w.Add(f.targets[i])
			continue
		}
		var a common.Address
		a[0], a[18], a[19] = 0xbe, byte(i>>8), byte(i)
		w.Add(detect.Protocol{Name: fmt.Sprintf("synthetic-%d", i), Addresses: []common.Address{a}})
	}
	return w
}
