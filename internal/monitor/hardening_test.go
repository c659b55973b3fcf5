package monitor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// hangingWebhook is a webhook endpoint that accepts the connection and never
// answers (until the test ends or the client gives up).
func hangingWebhook(t *testing.T) (url string, hits *atomic.Int32, hit <-chan struct{}) {
	t.Helper()
	release := make(chan struct{})
	ch := make(chan struct{}, 16)
	hits = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case ch <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv.URL, hits, ch
}

// TestHangingWebhookDoesNotDelayPending: a webhook that never answers sits
// on the first attack's pending alert; a second attack sent right after
// still gets its pending alert at once (Anvil, no automatic mining).
func TestHangingWebhookDoesNotDelayPending(t *testing.T) {
	ctx := testCtx(t)
	a := testchain.StartAnvil(t, 8, "--no-mining")
	cl, as := a.Client, a.Accounts
	env := &attack.Env{Client: cl, Deployer: as[0], Guardian: as[1], Attacker: as[2], Users: as[3:]}
	first, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	second, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	watch := watchTargets(first)
	for _, p := range watchTargets(second).Protocols() {
		watch.Add(p)
	}
	url, hits, hit := hangingWebhook(t)
	// No client timeout: only the outbox's attempt timeout ends a request.
	hook, err := alert.NewWebhook(alert.WebhookConfig{URL: url, Secret: "s3cret", HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := monitor.New(monitor.Config{
		RPCURL: a.WSURL, Watch: watch, Detectors: []detect.Detector{reentrancyDetector{}},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		Sinks:      []alert.Sink{hook}, Logger: testLogger(t),
		// One attempt hangs far longer than the bound asserted below.
		Outbox: monitor.OutboxConfig{AttemptTimeout: 2 * time.Minute, DrainTimeout: 100 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)

	pendingAlert := func(ctx context.Context, tx *types.Transaction) (string, error) {
		// A generous bound: the webhook hangs for minutes.
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		r, err := m.WaitPending(wctx, tx.Hash())
		if err != nil {
			return "", err
		}
		if len(r.Events) == 0 || r.Events[0].Alert.Stage != alert.StagePending {
			return "", errors.New("no pending alert")
		}
		return r.Events[0].Alert.ID, nil
	}
	var id1, id2 string
	res, err := attack.Execute(ctx, cl, first, func(ctx context.Context, tx *types.Transaction) error {
		id1, err = pendingAlert(ctx, tx)
		if err != nil {
			return err
		}
		select { // the webhook now holds the first alert's delivery
		case <-hit:
		case <-time.After(20 * time.Second):
			return errors.New("the webhook was never called")
		}
		return nil
	})
	if err != nil || !res.Succeeded {
		t.Fatalf("first attack: %v", err)
	}
	began := time.Now()
	res, err = attack.Execute(ctx, cl, second, func(ctx context.Context, tx *types.Transaction) error {
		id2, err = pendingAlert(ctx, tx)
		return err
	})
	if err != nil || !res.Succeeded {
		t.Fatalf("second attack: %v", err)
	}
	t.Logf("second pending alert %s %v after the first (%s) went to a hanging webhook (%d requests)", id2, time.Since(began), id1, hits.Load())
	if id1 == "" || id2 == "" || id1 == id2 {
		t.Fatalf("pending alerts %q and %q: want two incidents", id1, id2)
	}
	st := m.Stats()
	if hits.Load() != 1 || st.OutboxDepth < 2 || st.OutboxDelivered != 0 {
		t.Fatalf("webhook hits %d, outbox %+v: want one hanging request and the rest queued behind it", hits.Load(), st)
	}
}

// TestOutboxSurvivesRestart: events a failing sink could not take stay in
// the store's outbox and are delivered by the next run; delivered ones are
// not sent again.
func TestOutboxSurvivesRestart(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	env := attackEnv(tc)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	var status atomic.Int32
	status.Store(http.StatusInternalServerError)
	var mu sync.Mutex
	var got []string // delivery ids received with 200
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev alert.Event
		_ = json.NewDecoder(r.Body).Decode(&ev)
		code := int(status.Load())
		if code == http.StatusOK {
			mu.Lock()
			got = append(got, ev.DeliveryID())
			mu.Unlock()
		}
		w.WriteHeader(code)
	}))
	defer srv.Close()
	dir := t.TempDir()
	start, _ := tc.Node.Client().BlockNumber(ctx)
	run := func(until func(m *monitor.Monitor) bool) monitor.Stats {
		st, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		hook, err := alert.NewWebhook(alert.WebhookConfig{URL: srv.URL, Secret: "k"})
		if err != nil {
			t.Fatal(err)
		}
		m, err := monitor.New(monitor.Config{
			RPCURL: tc.Node.WSURL(), Watch: watchTargets(staged), Detectors: []detect.Detector{reentrancyDetector{}},
			Sinks: []alert.Sink{hook}, Store: st, DisablePending: true, FromBlock: &start, Logger: testLogger(t),
			Outbox: monitor.OutboxConfig{MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, MaxAttempts: 1000},
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := running(t, ctx, m)
		deadline := time.Now().Add(30 * time.Second)
		for !until(m) {
			if time.Now().After(deadline) {
				t.Fatalf("condition not reached: %+v", m.Stats())
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop()
		return m.Stats()
	}
	res, err := attack.Execute(ctx, env.Client, staged, nil)
	if err != nil || !res.Succeeded {
		t.Fatalf("attack: %v", err)
	}
	// Run 1: the sink answers 500: the alert is retried, never delivered.
	s1 := run(func(m *monitor.Monitor) bool { return m.Stats().OutboxFailures >= 3 })
	if s1.OutboxDelivered != 0 || s1.OutboxDepth != 1 {
		t.Fatalf("run 1 stats %+v: want one queued, none delivered", s1)
	}
	// Run 2: the sink recovers: the queued alert is delivered, once.
	status.Store(http.StatusOK)
	s2 := run(func(m *monitor.Monitor) bool { return m.Stats().OutboxDelivered >= 1 })
	// Run 3: nothing left to deliver.
	s3 := run(func(m *monitor.Monitor) bool { return true })
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || s2.OutboxDepth != 0 || s3.OutboxDelivered != 0 {
		t.Fatalf("delivered %v; run 2 %+v; run 3 %+v: want exactly one delivery, in run 2", got, s2, s3)
	}
}

// TestOutboxFullDropsLowSeverityFirst: a full outbox evicts the oldest
// event of the lowest severity, counts it, and never blocks.
func TestOutboxFullDropsLowSeverityFirst(t *testing.T) {
	ctx := testCtx(t)
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ev := func(id string, sev alert.Severity) alert.Event {
		return alert.Event{Kind: alert.EventOpened, Alert: &alert.Alert{ID: id, Severity: sev}}
	}
	for _, e := range []alert.Event{ev("c1", alert.SeverityCritical), ev("l1", alert.SeverityLow), ev("h1", alert.SeverityHigh), ev("l2", alert.SeverityLow)} {
		if _, err := st.EnqueueOutbox(ctx, "s", e, 3); err != nil {
			t.Fatal(err)
		}
	}
	// c1 l1 h1 l2 → l1 (oldest low) evicted
	n, err := st.EnqueueOutbox(ctx, "s", ev("i1", alert.SeverityInfo), 3)
	if err != nil || n != 1 {
		t.Fatalf("dropped %d, %v: want the new info event itself dropped", n, err)
	}
	var ids []string
	for {
		it, ok, err := st.NextOutbox(ctx, "s")
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		ids = append(ids, it.Event.Alert.ID)
		if err := st.DeleteOutbox(ctx, it.ID); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(ids, []string{"c1", "h1", "l2"}) {
		t.Fatalf("outbox kept %v, want [c1 h1 l2]", ids)
	}
}

// TestFreshChainRestart: the monitor's data dir holds a checkpoint of a
// devnet; the node is replaced by a fresh one with the same chain id and a
// shorter chain whose attack is mined below the old checkpoint. Over HTTP
// the monitor detects the new chain, restarts from the start block,
// processes every block and alerts.
func TestFreshChainRestart(t *testing.T) {
	ctx := testCtx(t)
	old, fresh := testchain.New(t), testchain.New(t)
	if old.Node.ChainID().Cmp(fresh.Node.ChainID()) != 0 {
		t.Fatal("the two devnets must share a chain id")
	}
	env := attackEnv(fresh)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	res, err := attack.Execute(ctx, env.Client, staged, nil)
	if err != nil || !res.Succeeded {
		t.Fatalf("attack: %v", err)
	}
	attackBlock := res.Receipts[0].BlockNumber.Uint64()
	freshHead, _ := fresh.Node.Client().BlockNumber(ctx)
	for range freshHead + 10 {
		if err := old.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	oldHead, _ := old.Node.Client().BlockNumber(ctx)

	dir := t.TempDir()
	var zero uint64
	run := func(url string, head uint64, rec *recorder) ([]uint64, monitor.Stats) {
		st, err := store.Open(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		var mu sync.Mutex
		var processed []uint64
		m, err := monitor.New(monitor.Config{
			RPCURL: url, Watch: watchTargets(staged), Detectors: []detect.Detector{reentrancyDetector{}},
			Store: st, FromBlock: &zero, DisablePending: true, PollInterval: 100 * time.Millisecond,
			OnEvent: rec.on, Logger: testLogger(t),
			OnBlock: func(n uint64, _ common.Hash) { mu.Lock(); processed = append(processed, n); mu.Unlock() },
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := running(t, ctx, m)
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := m.WaitBlock(wctx, head); err != nil {
			t.Fatal(err)
		}
		stop()
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(processed), m.Stats()
	}
	if _, s := run(old.Node.HTTPURL(), oldHead, newRecorder()); s.NewChains != 0 {
		t.Fatalf("first run saw a new chain: %+v", s)
	}
	rec := newRecorder()
	processed, s := run(fresh.Node.HTTPURL(), freshHead, rec)
	t.Logf("old head %d, fresh head %d, attack in %d; second run processed %v", oldHead, freshHead, attackBlock, processed)
	want := make([]uint64, 0, freshHead+1)
	for n := uint64(0); n <= freshHead; n++ {
		want = append(want, n)
	}
	if !slices.Equal(processed, want) || s.NewChains != 1 {
		t.Fatalf("processed %v (new chains %d), want every block 0..%d once", processed, s.NewChains, freshHead)
	}
	evs := rec.events()
	if len(evs) != 1 || evs[0].Kind != alert.EventOpened || evs[0].Alert.Stage != alert.StageConfirmed ||
		evs[0].Alert.Evidence.Txs[0].Block != attackBlock {
		t.Fatalf("events %s, want one confirmed alert for block %d", kinds(evs), attackBlock)
	}
}

// TestRestartWithPendingIncident: an incident is pending when the monitor
// stops; while it is down the attack is mined (or replaced and never
// mined). The next run updates the same incident to confirmed (or
// dropped): one incident, one alert, no duplicate.
func TestRestartWithPendingIncident(t *testing.T) {
	for _, mined := range []bool{true, false} {
		name := "dropped"
		if mined {
			name = "confirmed"
		}
		t.Run(name, func(t *testing.T) {
			ctx := testCtx(t)
			tc := testchain.New(t)
			env := attackEnv(tc)
			staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			jl, jpath := openJSONL(t, dir)
			defer jl.Close()
			open := func(rec *recorder) (*monitor.Monitor, *store.Store) {
				st, err := store.Open(ctx, dir)
				if err != nil {
					t.Fatal(err)
				}
				m, err := monitor.New(monitor.Config{
					RPCURL: tc.Node.WSURL(), Watch: watchTargets(staged), Detectors: []detect.Detector{reentrancyDetector{}},
					Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
					Sinks:      []alert.Sink{jl}, Store: st, OnEvent: rec.on, DropAfter: 2, Logger: testLogger(t),
				})
				if err != nil {
					t.Fatal(err)
				}
				return m, st
			}
			m1, st1 := open(newRecorder())
			stop := running(t, ctx, m1)
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
			r, err := m1.WaitPending(wctx, ex.Hash())
			if err != nil || len(r.Events) == 0 || r.Events[0].Alert.Stage != alert.StagePending {
				t.Fatalf("no pending alert: %+v %v", r, err)
			}
			id := r.Events[0].Alert.ID
			stop()
			_ = st1.Close()

			// While the monitor is down.
			if !mined {
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
			}
			for range 3 {
				if err := tc.Commit(ctx); err != nil {
					t.Fatal(err)
				}
			}

			rec := newRecorder()
			m2, st2 := open(rec)
			defer st2.Close()
			stop = running(t, ctx, m2)
			want := alert.EventDropped
			if mined {
				want = alert.EventPromoted
			}
			ev := rec.waitFor(t, wctx, string(want), func(ev alert.Event) bool { return ev.Kind == want })
			if ev.Alert.ID != id {
				t.Fatalf("%s %s, want the pending incident %s", want, ev.Alert.ID, id)
			}
			if err := m2.WaitDelivered(wctx); err != nil {
				t.Fatal(err)
			}
			stop()
			for _, e := range rec.events() {
				if e.Alert.ID != id || e.Kind == alert.EventOpened {
					t.Errorf("second run emitted %s for %s", e.Kind, e.Alert.ID)
				}
			}
			als, err := st2.Alerts(ctx)
			if err != nil || len(als) != 1 || als[0].ID != id || als[0].Stage != wantStage(want) {
				t.Fatalf("stored alerts %+v err=%v, want %s only, %s", als, err, id, wantStage(want))
			}
			evs := jsonlEvents(t, jpath)
			if len(evs) != 2 || evs[0].Kind != alert.EventOpened || evs[1].Kind != want || evs[1].Alert.ID != id || evs[1].Seq <= evs[0].Seq {
				t.Fatalf("jsonl %s, want opened then %s of one incident", kinds(evs), want)
			}
		})
	}
}

func wantStage(k alert.EventKind) alert.Stage {
	if k == alert.EventPromoted {
		return alert.StageConfirmed
	}
	return alert.StageDropped
}

// TestTwoMonitorsOneDataDir: a second monitor on a data dir in use fails
// at once, naming the directory and the holder's pid.
func TestTwoMonitorsOneDataDir(t *testing.T) {
	ctx := testCtx(t)
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	_, err = store.Open(ctx, dir)
	if !errors.Is(err, store.ErrInUse) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("second open: %v; want ErrInUse naming %s and pid %d", err, dir, os.Getpid())
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("second open took %v: it must not wait for the lock", d)
	}
	// Released on Close.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	_ = st2.Close()
}

// TestHealthz: /healthz is 200 while heads arrive, 503 with a reason once
// the node stops producing them for longer than MaxHeadAge, and 503 once
// the node is gone; /readyz turns 200 after the initial backfill.
func TestHealthz(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	for range 5 {
		if err := tc.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var zero uint64
	m, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.WSURL(), Watch: monitor.NewWatchlist(), FromBlock: &zero, DisablePending: true,
		MaxHeadAge: time.Second, MaxLag: 2, MinBackoff: 50 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	health := httptest.NewServer(m.HealthHandler())
	defer health.Close()
	ready := httptest.NewServer(m.ReadyHandler())
	defer ready.Close()
	get := func(url string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		return resp.StatusCode, body
	}
	if code, body := get(ready.URL); code != http.StatusServiceUnavailable {
		t.Fatalf("readyz before Run: %d %v", code, body)
	}
	running(t, ctx, m)
	select {
	case <-m.CaughtUp():
	case <-ctx.Done():
		t.Fatal("no catch-up")
	}
	if code, body := get(ready.URL); code != http.StatusOK {
		t.Fatalf("readyz after catch-up: %d %v", code, body)
	}
	waitCode := func(what string, want int, within time.Duration) map[string]any {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			code, body := get(health.URL)
			if code == want {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: healthz %d %v after %v, want %d", what, code, body, within, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// A fresh head: healthy.
	if err := tc.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	waitCode("fresh head", http.StatusOK, 3*time.Second)
	// A frozen node: no head for more than MaxHeadAge.
	body := waitCode("frozen head", http.StatusServiceUnavailable, 3*time.Second)
	if r, _ := body["reason"].(string); !strings.Contains(r, "no new head") {
		t.Fatalf("frozen reason %q", r)
	}
	if err := tc.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	waitCode("new head", http.StatusOK, 3*time.Second)
	// The node dies.
	_ = tc.Close()
	body = waitCode("node stopped", http.StatusServiceUnavailable, 3*time.Second)
	if r, _ := body["reason"].(string); !strings.Contains(r, "not connected") && !strings.Contains(r, "no new head") {
		t.Fatalf("dead-node reason %q", r)
	}
	t.Logf("after the node stopped: %v", body)
}

// TestFreshChainWhileRunning: the node behind the monitor's URL is
// replaced by a fresh chain with the same chain id while the monitor runs
// (no store); on reconnecting, the monitor notices and processes every
// block of the new chain from the start block, alerting on its attack.
func TestFreshChainWhileRunning(t *testing.T) {
	ctx := testCtx(t)
	old, fresh := testchain.New(t), testchain.New(t)
	env := attackEnv(fresh)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	res, err := attack.Execute(ctx, env.Client, staged, nil)
	if err != nil || !res.Succeeded {
		t.Fatalf("attack: %v", err)
	}
	freshHead, _ := fresh.Node.Client().BlockNumber(ctx)
	for range freshHead + 10 {
		if err := old.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	oldHead, _ := old.Node.Client().BlockNumber(ctx)
	px := newProxy(t, strings.TrimPrefix(old.Node.WSURL(), "ws://"))
	var mu sync.Mutex
	var processed []uint64
	rec := newRecorder()
	var zero uint64
	m, err := monitor.New(monitor.Config{
		RPCURL: "ws://" + px.addr(), Watch: watchTargets(staged), Detectors: []detect.Detector{reentrancyDetector{}},
		FromBlock: &zero, DisablePending: true, OnEvent: rec.on, Logger: testLogger(t),
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		OnBlock: func(n uint64, _ common.Hash) { mu.Lock(); processed = append(processed, n); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := m.WaitBlock(wctx, oldHead); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	processed = nil
	mu.Unlock()
	px.mu.Lock()
	px.target = strings.TrimPrefix(fresh.Node.WSURL(), "ws://")
	px.mu.Unlock()
	px.cut(false)
	rec.waitFor(t, wctx, "confirmed alert", func(ev alert.Event) bool { return ev.Alert.Stage == alert.StageConfirmed })
	if err := m.WaitBlock(wctx, freshHead); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := make([]uint64, 0, freshHead+1)
	for n := uint64(0); n <= freshHead; n++ {
		want = append(want, n)
	}
	if !slices.Equal(processed, want) || m.Stats().NewChains != 1 {
		t.Fatalf("after the switch processed %v (new chains %d), want every block 0..%d once", processed, m.Stats().NewChains, freshHead)
	}
}
