package monitor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/reentrancy"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestPendingReentrancyPredeployedAnvil is the regression test of the
// pending-stage miss: the attack contract was deployed before the monitor
// started (so it is not "fresh"), it keeps its target in storage (no
// watched address in the calldata), and the attacker's account was already
// seen in a mined block. The prefilter used to skip the transaction, so the
// reentrancy was only reported once mined. The first call of a contract's
// function is now simulated; a repeated call of a function that never
// touched a watched address, from a seen sender, still is not.
func TestPendingReentrancyPredeployedAnvil(t *testing.T) {
	ctx := testCtx(t)
	a := testchain.StartAnvil(t, 10, "--no-mining")
	f := deployUnseen(ctx, t, a.Client, a.Accounts)
	w := monitor.NewWatchlist(detect.Protocol{Name: "ether wallet", Addresses: []common.Address{f.wallet.Address}})
	m, err := monitor.New(monitor.Config{
		RPCURL: a.WSURL, Watch: w, Detectors: []detect.Detector{reentrancy.New(reentrancy.DefaultConfig())},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}), Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	if bf := m.Backfilled(); bf.Txs < 3 {
		t.Errorf("backfill replayed %d transactions, want the 3 wallet deposits at least", bf.Txs)
	}
	mine := func() {
		if err := a.RPC.CallContext(ctx, nil, "evm_mine"); err != nil {
			t.Fatal(err)
		}
	}
	pending := func(tx *types.Transaction) *monitor.PendingResult {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		r, err := m.WaitPending(wctx, tx.Hash())
		if err != nil {
			t.Fatal(err)
		}
		mine()
		if _, err := a.Client.WaitMined(ctx, tx); err != nil {
			t.Fatal(err)
		}
		return r
	}
	// The attacker's account shows up twice with the same token call.
	for i := range 2 {
		tx, err := f.usdx.Send(ctx, f.attacker, chain.TxOpts{}, "transfer", f.users[0].Address, kilo(1))
		if err != nil {
			t.Fatal(err)
		}
		r := pending(tx)
		if i == 1 && r.Simulated {
			t.Error("a repeated call of a function that never touched a watched address, from a seen sender, was simulated")
		}
	}
	tx, err := f.reenterA.Send(ctx, f.attacker, chain.TxOpts{Value: f.reentStake, GasLimit: 6_000_000}, "go")
	if err != nil {
		t.Fatal(err)
	}
	r := pending(tx)
	if !r.Simulated {
		t.Fatal("the attack from a pre-deployed contract was not simulated while pending")
	}
	crit := false
	for _, o := range r.Observations {
		crit = crit || (o.Detector == reentrancy.Name && o.Severity == alert.SeverityCritical)
	}
	if !crit {
		t.Fatalf("no critical reentrancy while pending: %+v", r.Observations)
	}
}

// TestBackfillDegradesWithoutLogs: a node that refuses eth_getLogs leaves
// the backfill with nothing learned, said so in the result (and a warning
// in the log), and the monitor still runs.
func TestBackfillDegradesWithoutLogs(t *testing.T) {
	ctx := testCtx(t)
	e := testchain.New(t)
	f := deployUnseen(ctx, t, e.Client, e.Accounts)
	target, err := url.Parse(e.Node.HTTPURL())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if json.Unmarshal(body, &req) == nil && req.Method == "eth_getLogs" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"the method eth_getLogs does not exist/is not available"}}`, req.ID)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	m, err := monitor.New(monitor.Config{
		RPCURL: srv.URL, Watch: f.watchlist(), DisablePending: true, PollInterval: 100 * time.Millisecond,
		Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	bf := m.Backfilled()
	if bf.Txs != 0 || len(bf.Degraded) == 0 || !strings.Contains(bf.Degraded[0], "eth_getLogs") {
		t.Fatalf("backfill %+v, want nothing learned and eth_getLogs reported", bf)
	}
}
