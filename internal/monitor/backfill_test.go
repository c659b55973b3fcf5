package monitor_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// rpcCounter is a JSON-RPC HTTP front of a node that counts the methods
// called (batch elements one by one) and answers the refused ones with
// "method not found".
type rpcCounter struct {
	mu     sync.Mutex
	calls  map[string]int
	refuse map[string]bool
	// traced counts debug_traceBlockByNumber per block number.
	traced map[uint64]int
}

// blockTraces counts debug_traceBlockByNumber calls for blocks from..to
// (the live loop may trace a newer block while the test stops it).
func (c *rpcCounter) blockTraces(from, to uint64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for b, k := range c.traced {
		if b >= from && b <= to {
			n += k
		}
	}
	return n
}

func (c *rpcCounter) count(m string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[m]
}

// newRPCCounter serves upstream (an HTTP JSON-RPC URL) refusing the
// methods in refuse; it returns the front's URL.
func newRPCCounter(t *testing.T, upstream string, refuse ...string) (*rpcCounter, string) {
	t.Helper()
	c := &rpcCounter{calls: map[string]int{}, refuse: map[string]bool{}, traced: map[uint64]int{}}
	for _, m := range refuse {
		c.refuse[m] = true
	}
	srv := testchain.RPCProxyParams(t, upstream, func(method string, params []json.RawMessage) bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.calls[method]++
		if method == "debug_traceBlockByNumber" && len(params) > 0 {
			var q hexutil.Uint64
			if json.Unmarshal(params[0], &q) == nil {
				c.traced[uint64(q)]++
			}
		}
		return c.refuse[method]
	}, -32601, "the method %s does not exist/is not available")
	return c, srv.URL
}

// TestBackfillTracesBlocks: the backfill of the unseen protocols' history
// traces each block holding a matching transaction once
// (debug_traceBlockByNumber, no debug_traceTransaction); on a node without
// eth_getBlockReceipts it falls back to one debug_traceTransaction per
// transaction and learns from the same transactions, fully traced; on a
// node without any debug tracing it learns from the same transactions'
// receipts and says so.
func TestBackfillTracesBlocks(t *testing.T) {
	ctx := testCtx(t)
	e := testchain.New(t)
	f := deployUnseen(ctx, t, e.Client, e.Accounts)
	run := func(refuse ...string) (*rpcCounter, monitor.BackfillResult) {
		t.Helper()
		c, url := newRPCCounter(t, e.Node.HTTPURL(), refuse...)
		m, err := monitor.New(monitor.Config{
			RPCURL: url, Watch: f.watchlist(), DisablePending: true, PollInterval: 100 * time.Millisecond,
			Logger: testLogger(t),
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := running(t, ctx, m)
		bf := m.Backfilled()
		stop()
		return c, bf
	}

	c, full := run()
	if full.Txs == 0 || full.Partial != 0 || len(full.Degraded) != 0 {
		t.Fatalf("backfill %+v, want transactions learned, fully traced, nothing degraded", full)
	}
	blocks := c.blockTraces(full.From, full.To)
	if n := c.count("debug_traceTransaction"); n != 0 || blocks == 0 || blocks > full.Txs || blocks > int(full.To-full.From+1) {
		t.Errorf("backfill of %d txs over blocks %d–%d: %d debug_traceBlockByNumber, %d debug_traceTransaction; want one block trace per block with matching transactions and no per-transaction trace",
			full.Txs, full.From, full.To, blocks, n)
	}

	c, perTx := run("eth_getBlockReceipts")
	if perTx.Txs != full.Txs || perTx.Partial != 0 || len(perTx.Degraded) != 0 {
		t.Errorf("without eth_getBlockReceipts: backfill %+v, want the same %d txs fully traced", perTx, full.Txs)
	}
	if n := c.count("debug_traceTransaction"); n != full.Txs {
		t.Errorf("without eth_getBlockReceipts: %d debug_traceTransaction, want one per transaction (%d)", n, full.Txs)
	}
	if n := c.count("eth_getBlockReceipts"); n == 0 || n >= perTx.Txs {
		t.Errorf("without eth_getBlockReceipts: asked for it %d times, want once (then the per-transaction fallback for every block)", n)
	}

	_, noDebug := run("debug_traceBlockByNumber", "debug_traceTransaction")
	if noDebug.Txs != full.Txs || noDebug.Partial != full.Txs || !slices.ContainsFunc(noDebug.Degraded, func(s string) bool { return strings.Contains(s, "debug_trace") }) {
		t.Errorf("without debug tracing: backfill %+v, want the same %d txs from receipts only and the missing tracing reported", noDebug, full.Txs)
	}
}
