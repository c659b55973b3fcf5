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
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func attackEnv(tc *testchain.Env) *attack.Env {
	return &attack.Env{Client: tc.Client, Deployer: tc.Accounts[0], Guardian: tc.Accounts[1],
		Attacker: tc.Accounts[2], Users: tc.Accounts[3:]}
}

// TestPendingConfirmedReorg: the reentrancy exploit is caught while it
// waits in the mempool (before it is mined), the mined pass promotes the
// same alert to confirmed, and a reorg that drops the attack block retracts
// it.
func TestPendingConfirmedReorg(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	env := attackEnv(tc)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	jl, jpath := openJSONL(t, dir)
	t.Cleanup(func() { _ = jl.Close() })
	rec := newRecorder()
	m, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.WSURL(), Watch: watchTargets(staged),
		Detectors:  []detect.Detector{reentrancyDetector{}},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		Sink:       jl, OnEvent: rec.on, Store: st, Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)

	var attackTx *types.Transaction
	var pendingAlert string
	res, err := attack.Execute(ctx, env.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
		attackTx = tx
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		r, err := m.WaitPending(wctx, tx.Hash())
		if err != nil {
			return err
		}
		if !r.Simulated || !r.Relevant || len(r.Events) == 0 {
			t.Fatalf("pending result: simulated=%v relevant=%v events=%d err=%v", r.Simulated, r.Relevant, len(r.Events), r.Err)
		}
		ev := r.Events[0]
		if ev.Kind != alert.EventOpened || ev.Alert.Stage != alert.StagePending || ev.Alert.Severity != alert.SeverityCritical {
			t.Fatalf("pending event %s/%s/%s", ev.Kind, ev.Alert.Stage, ev.Alert.Severity)
		}
		// Still pending: nothing mined it yet.
		if _, isPending, err := tc.Node.Client().TransactionByHash(ctx, tx.Hash()); err != nil || !isPending {
			t.Fatalf("attack tx not pending when alerted: pending=%v err=%v", isPending, err)
		}
		pendingAlert = ev.Alert.ID
		t.Logf("pending alert %s after %v: %s", ev.Alert.ID, r.DoneAt.Sub(r.SeenAt), ev.Alert.Summary)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Succeeded {
		t.Fatal("attack failed")
	}
	block := res.Receipts[0].BlockNumber.Uint64()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	prom := rec.waitFor(t, wctx, "promoted", func(ev alert.Event) bool { return ev.Kind == alert.EventPromoted })
	if prom.Alert.ID != pendingAlert || prom.Alert.Stage != alert.StageConfirmed {
		t.Fatalf("promoted %s (%s), want %s confirmed", prom.Alert.ID, prom.Alert.Stage, pendingAlert)
	}

	// Reorg: rewind to the attack block's parent, replace the attack tx
	// (same nonce, higher fee) and mine a different block at its height.
	hd, err := tc.Node.Client().HeaderByNumber(ctx, new(big.Int).SetUint64(block))
	if err != nil {
		t.Fatal(err)
	}
	if err := tc.Node.Fork(ctx, hd.ParentHash); err != nil {
		t.Fatal(err)
	}
	tip := new(big.Int).Mul(attackTx.GasTipCap(), big.NewInt(3))
	fee := new(big.Int).Mul(attackTx.GasFeeCap(), big.NewInt(3))
	to := env.Attacker.Address
	repl, err := types.SignNewTx(env.Attacker.Key, tc.Client.Signer(), &types.DynamicFeeTx{
		ChainID: tc.Client.ChainID(), Nonce: attackTx.Nonce(), GasTipCap: tip, GasFeeCap: fee, Gas: 21000, To: &to,
	})
	if err != nil {
		t.Fatal(err)
	}
	// The pool re-injects the abandoned block's transactions asynchronously.
	for i := 0; ; i++ {
		err := tc.Node.Client().SendTransaction(ctx, repl)
		if err == nil {
			break
		}
		if i == 100 {
			t.Fatalf("replacement: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := tc.Node.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	retr := rec.waitFor(t, wctx, "retracted", func(ev alert.Event) bool { return ev.Kind == alert.EventRetracted })
	if retr.Alert.ID != pendingAlert || retr.Alert.Stage != alert.StageRetracted {
		t.Fatalf("retracted %s (%s)", retr.Alert.ID, retr.Alert.Stage)
	}
	if err := m.WaitBlock(wctx, block); err != nil {
		t.Fatal(err)
	}
	if st := m.Stats(); st.Reorgs != 1 || st.PendingSimulated == 0 || st.AlertsByDetector["reentrancy"] != 2 {
		t.Errorf("stats %+v", st)
	}
	t.Logf("events: %s", kinds(rec.events()))
	if err := m.WaitDelivered(wctx); err != nil {
		t.Fatal(err)
	}
	// The JSONL sink and the store agree: one alert, now retracted.
	if got := jsonlEvents(t, jpath); len(got) != 3 {
		t.Errorf("jsonl has %d events (%s), want opened, promoted, retracted", len(got), kinds(got))
	}
	als, err := st.Alerts(ctx)
	if err != nil || len(als) != 1 || als[0].Stage != alert.StageRetracted {
		t.Errorf("stored alerts %+v err=%v", als, err)
	}
}

// TestRestartResumes processes a backlog, is cancelled mid-stream, and
// restarts on the same data dir: it resumes from the checkpoint with no
// block skipped or processed twice and no alert duplicated.
func TestRestartResumes(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	env := attackEnv(tc)
	start, err := tc.Node.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	res, err := attack.Execute(ctx, env.Client, staged, nil)
	if err != nil || !res.Succeeded {
		t.Fatalf("attack: %v", err)
	}
	attackBlock := res.Receipts[0].BlockNumber.Uint64()
	for range 12 {
		if _, err := tc.Node.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	head, _ := tc.Node.Client().BlockNumber(ctx)

	dir := t.TempDir()
	var processed []uint64
	run := func(stopAt uint64) {
		st, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		jl, _ := openJSONL(t, dir)
		defer jl.Close()
		rctx, cancel := context.WithCancel(ctx)
		defer cancel()
		done := make(chan struct{})
		m, err := monitor.New(monitor.Config{
			RPCURL: tc.Node.WSURL(), Watch: watchTargets(staged), FromBlock: &start,
			Detectors: []detect.Detector{reentrancyDetector{}}, Sink: jl, Store: st, DisablePending: true, Logger: testLogger(t),
			OnBlock: func(n uint64, _ common.Hash) {
				processed = append(processed, n)
				if n == stopAt {
					cancel() // kill mid-stream
					close(done)
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		errc := make(chan error, 1)
		go func() { errc <- m.Run(rctx) }()
		select {
		case <-done:
		case <-ctx.Done():
			t.Fatal("timeout")
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	run(attackBlock + 3)
	first := len(processed)
	run(head)
	t.Logf("first run %d blocks, second %d (from %d to %d, attack in %d)", first, len(processed)-first, start, head, attackBlock)
	want := []uint64{}
	for n := start; n <= head; n++ {
		want = append(want, n)
	}
	if !slices.Equal(processed, want) {
		t.Fatalf("processed %v, want %v", processed, want)
	}
	if first == 0 || first == len(processed) {
		t.Fatalf("the first run was not interrupted mid-stream (%d of %d)", first, len(processed))
	}
	evs := jsonlEvents(t, dir+"/alerts.jsonl")
	if len(evs) != 1 || evs[0].Kind != alert.EventOpened || evs[0].Alert.Stage != alert.StageConfirmed {
		t.Fatalf("jsonl %s, want one opened/confirmed", kinds(evs))
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	als, _ := st.Alerts(ctx)
	cp, _, _ := st.Checkpoint(ctx, tc.Node.ChainID().Uint64())
	if len(als) != 1 || cp.Number != head {
		t.Fatalf("store: %d alerts, checkpoint %d (want 1, %d)", len(als), cp.Number, head)
	}
}

// TestReconnectBackfills cuts the WebSocket connection and keeps the node
// unreachable while blocks are mined; the monitor reconnects and processes
// every missed block.
func TestReconnectBackfills(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	px := newProxy(t, strings.TrimPrefix(tc.Node.WSURL(), "ws://"))
	var (
		mu        sync.Mutex
		processed []uint64
	)
	blocks := make(chan uint64, 64)
	m, err := monitor.New(monitor.Config{
		RPCURL: "ws://" + px.addr(), Watch: monitor.NewWatchlist(),
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Logger: testLogger(t),
		OnBlock: func(n uint64, _ common.Hash) {
			mu.Lock()
			processed = append(processed, n)
			mu.Unlock()
			blocks <- n
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	first := <-blocks
	px.cut(true)
	for range 5 {
		if _, err := tc.Node.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond) // a few failed reconnection attempts
	px.cut(false)
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := m.WaitBlock(wctx, first+5); err != nil {
		t.Fatal(err)
	}
	want := []uint64{first, first + 1, first + 2, first + 3, first + 4, first + 5}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(processed, want) {
		t.Fatalf("processed %v, want %v", processed, want)
	}
	if st := m.Stats(); st.Reconnects == 0 {
		t.Errorf("no reconnect counted: %+v", st)
	}
}

// TestPendingDropped: an alerting pending exploit replaced in the pool
// (same nonce, higher fee) is never mined; DropAfter blocks later its
// alert is dropped.
func TestPendingDropped(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	env := attackEnv(tc)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	m, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.WSURL(), Watch: watchTargets(staged), Detectors: []detect.Detector{reentrancyDetector{}},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}), OnEvent: rec.on, DropAfter: 2, Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	txs, err := staged.Exploit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ex := txs[0]
	if err := tc.Node.Client().SendTransaction(ctx, ex); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	r, err := m.WaitPending(wctx, ex.Hash())
	if err != nil || len(r.Events) == 0 {
		t.Fatalf("pending: %+v %v", r, err)
	}
	to := env.Attacker.Address
	repl, err := types.SignNewTx(env.Attacker.Key, tc.Client.Signer(), &types.DynamicFeeTx{
		ChainID: tc.Client.ChainID(), Nonce: ex.Nonce(), Gas: 21000, To: &to,
		GasTipCap: new(big.Int).Mul(ex.GasTipCap(), big.NewInt(3)), GasFeeCap: new(big.Int).Mul(ex.GasFeeCap(), big.NewInt(3)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tc.Node.Client().SendTransaction(ctx, repl); err != nil {
		t.Fatalf("replacement: %v", err)
	}
	for range 3 {
		if _, err := tc.Node.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ev := rec.waitFor(t, wctx, "dropped", func(ev alert.Event) bool { return ev.Kind == alert.EventDropped })
	if ev.Alert.ID != r.Events[0].Alert.ID || ev.Alert.Stage != alert.StageDropped {
		t.Fatalf("dropped %s (%s)", ev.Alert.ID, ev.Alert.Stage)
	}
}

// TestPendingOverHTTP: without WebSocket the monitor polls heads and a
// pending-transaction filter, and still alerts before mining.
func TestPendingOverHTTP(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	env := attackEnv(tc)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	m, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.HTTPURL(), Watch: watchTargets(staged), Detectors: []detect.Detector{reentrancyDetector{}},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}), OnEvent: rec.on,
		PollInterval: 200 * time.Millisecond, Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	res, err := attack.Execute(ctx, env.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		r, err := m.WaitPending(wctx, tx.Hash())
		if err != nil {
			return err
		}
		if len(r.Events) == 0 || r.Events[0].Alert.Stage != alert.StagePending {
			t.Fatalf("no pending alert over HTTP: %+v", r)
		}
		return nil
	})
	if err != nil || !res.Succeeded {
		t.Fatalf("attack: %v", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	rec.waitFor(t, wctx, "promoted", func(ev alert.Event) bool { return ev.Kind == alert.EventPromoted })
}
