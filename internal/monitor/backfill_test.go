package monitor_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
	type req struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	one := func(raw json.RawMessage) (json.RawMessage, error) {
		var r req
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.calls[r.Method]++
		if r.Method == "debug_traceBlockByNumber" && len(r.Params) > 0 {
			var q hexutil.Uint64
			if json.Unmarshal(r.Params[0], &q) == nil {
				c.traced[uint64(q)]++
			}
		}
		c.mu.Unlock()
		if c.refuse[r.Method] {
			return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"the method %s does not exist/is not available"}}`, r.ID, r.Method), nil
		}
		resp, err := http.Post(upstream, "application/json", bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		var batch []json.RawMessage
		if bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) && json.Unmarshal(body, &batch) == nil {
			out := make([]json.RawMessage, len(batch))
			for i, e := range batch {
				res, err := one(e)
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadGateway)
					return
				}
				out[i] = res
			}
			_ = json.NewEncoder(w).Encode(out)
			return
		}
		res, err := one(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_, _ = w.Write(res)
	}))
	t.Cleanup(srv.Close)
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
