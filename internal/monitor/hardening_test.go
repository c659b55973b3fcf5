package monitor_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
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
