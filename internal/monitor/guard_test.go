package monitor_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers (log handlers).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// guardFixture is what the guard pipeline tests share: a devnet with the
// reentrancy scenario's vulnerable bank staged, a store, an HTTP RPC client
// for the guard and the guardian's signer.
type guardFixture struct {
	tc     *testchain.Env
	env    *attack.Env
	staged attack.Staged
	tg     attack.Target
	st     *store.Store
	rc     *rpc.Client
	signer *guard.Signer
}

func newGuardFixture(t *testing.T, ctx context.Context) *guardFixture {
	t.Helper()
	tc := testchain.New(t)
	env := attackEnv(tc)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	rc, err := rpc.DialContext(ctx, tc.Node.HTTPURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	signer, err := guard.NewSigner(env.Guardian.Key)
	if err != nil {
		t.Fatal(err)
	}
	return &guardFixture{tc: tc, env: env, staged: staged, tg: staged.Targets()[0], st: st, rc: rc, signer: signer}
}

// TestGuardInPipeline: with a guard configured, the monitor hands the
// pending reentrancy exploit to it; the armed guard's pause() is accepted
// while the attack waits in the mempool, lands first, the attack reverts,
// the decision is stored and the alert carries the response. The guardian
// key appears in no log line, event or stored decision.
func TestGuardInPipeline(t *testing.T) {
	ctx := testCtx(t)
	f := newGuardFixture(t, ctx)
	tc, env, staged, tg, st, rc, signer := f.tc, f.env, f.staged, f.tg, f.st, f.rc, f.signer
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	g, err := guard.New(ctx, guard.Config{RPC: rc, Signer: signer, Logger: log, RevertDecoder: contracts.RevertReason,
		PollInterval: 5 * time.Millisecond, WatchTimeout: 30 * time.Second,
		Policies: guard.Policies{Protocols: []guard.Policy{{
			Protocol: tg.Name, Addresses: []common.Address{tg.Address}, Mode: guard.ModeArmed,
			// The test monitor runs one detector.
			Trigger: guard.TriggerRule{Detectors: []string{"reentrancy"}},
			Actions: []guard.Call{{Target: tg.Address, Signature: "pause()"}},
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	decided := make(chan *guard.Decision, 4)
	m, err := monitor.New(monitor.Config{
		RPCURL: tc.Node.WSURL(), Watch: watchTargets(staged),
		Detectors:  []detect.Detector{reentrancyDetector{}},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}),
		OnEvent:    rec.on, Store: st, Logger: log, Guard: g,
		OnDecision: func(d *guard.Decision) { decided <- d },
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)

	res, err := attack.Execute(ctx, env.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if _, err := m.WaitPending(wctx, tx.Hash()); err != nil {
			return err
		}
		// Mine only once the guardian's protective tx is in the pool.
		for {
			n, err := tc.Node.Client().PendingNonceAt(wctx, env.Guardian.Address)
			if err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			select {
			case <-wctx.Done():
				t.Fatal("the guard sent no protective transaction")
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	env.Client.ResetNonce(env.Guardian.Address)
	if res.Succeeded || res.Outcome.AttackerProfit.Sign() > 0 {
		t.Fatalf("attack succeeded under the guard: profit %s", res.Outcome.AttackerProfit)
	}
	var d *guard.Decision
	select {
	case d = <-decided:
	case <-ctx.Done():
		t.Fatal("no decision")
	}
	t.Logf("decision: %s", d.Summary)
	if d.Verdict != guard.VerdictActed || d.Outcome == nil || d.Outcome.Attack != "reverted" || !d.Outcome.ProtectedFirst {
		t.Fatalf("decision %s %+v", d.Verdict, d.Outcome)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ev := rec.waitFor(t, wctx, "response", func(ev alert.Event) bool { return ev.Alert.Response != nil })
	resp := ev.Alert.Response.String()
	t.Logf("alert %s response: %s", ev.Alert.ID, resp)
	if !strings.Contains(resp, "paused "+tg.Name+" in block ") || !strings.Contains(resp, "reverted") || !strings.Contains(resp, "50 ETH protected") {
		t.Errorf("response %q", resp)
	}
	ds, err := st.Decisions(ctx)
	if err != nil || len(ds) != 1 || ds[0].ID != d.ID || ds[0].AlertID != ev.Alert.ID || ds[0].Verdict != "acted" {
		t.Fatalf("stored decisions %+v, %v", ds, err)
	}
	key := hex.EncodeToString(crypto.FromECDSA(env.Guardian.Key))
	hay := strings.ToLower(logs.String() + string(ds[0].Body) + kinds(rec.events()) + resp)
	if strings.Contains(hay, key) || strings.Contains(hay, key[:24]) {
		t.Fatal("the guardian key leaked into logs, events or stored decisions")
	}
	if !strings.Contains(logs.String(), "guard decision") {
		t.Error("no guard decision in the logs")
	}
}
