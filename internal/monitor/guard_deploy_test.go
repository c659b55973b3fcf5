package monitor_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
)

// TestGuardEarlyStageInPipeline: with an early_stage policy armed, the
// monitor offers a pending deployment whose init code references the bank
// to the guard, which pauses the bank before the deployment is mined; the
// decision is stored and delivered as the response of the alert the
// guard's finding opened. A deployment that references nothing is not
// offered.
func TestGuardEarlyStageInPipeline(t *testing.T) {
	ctx := testCtx(t)
	f := newGuardFixture(t, ctx)
	tc, env, staged, tg, st, rc, signer := f.tc, f.env, f.staged, f.tg, f.st, f.rc, f.signer
	g, err := guard.New(ctx, guard.Config{RPC: rc, Signer: signer, Logger: testLogger(t), RevertDecoder: contracts.RevertReason,
		PollInterval: 5 * time.Millisecond, WatchTimeout: 30 * time.Second,
		Policies: guard.Policies{Protocols: []guard.Policy{{
			Protocol: tg.Name, Addresses: []common.Address{tg.Address}, Mode: guard.ModeArmed, EarlyStage: true,
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
		OnEvent:    rec.on, Store: st, Logger: testLogger(t), Guard: g,
		OnDecision: func(d *guard.Decision) { decided <- d },
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)

	art, err := contracts.Load("ReentrancyAttacker")
	if err != nil {
		t.Fatal(err)
	}
	// Unrelated deployment first: never offered, so no decision for it.
	plain, err := env.Client.SendTx(ctx, env.Users[0], nil, art.Bytecode, chain.TxOpts{GasLimit: 3_000_000})
	if err != nil {
		t.Fatal(err)
	}
	// The attack contract, with the bank's address in its init code.
	initCode := append(append([]byte(nil), art.Bytecode...), common.LeftPadBytes(tg.Address.Bytes(), 32)...)
	tx, err := env.Client.SendTx(ctx, env.Attacker, nil, initCode, chain.TxOpts{GasLimit: 3_000_000})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for { // mine only once the guardian's pause() is in the pool
		n, err := tc.Node.Client().PendingNonceAt(wctx, env.Guardian.Address)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		select {
		case <-wctx.Done():
			t.Fatal("the guard sent no protective transaction")
		case <-time.After(2 * time.Millisecond):
		}
	}
	if err := tc.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var d *guard.Decision
	select {
	case d = <-decided:
	case <-wctx.Done():
		t.Fatal("no decision")
	}
	t.Logf("decision: %s", d.Summary)
	if d.AttackTx != tx.Hash() || d.Verdict != guard.VerdictActed || d.Stage != guard.StageDeployment ||
		d.Outcome == nil || !d.Outcome.ProtectedFirst {
		t.Fatalf("decision %s %s %+v for %s", d.Verdict, d.Stage, d.Outcome, d.AttackTx)
	}
	ev := rec.waitFor(t, wctx, "response", func(ev alert.Event) bool { return ev.Alert.Response != nil })
	resp := ev.Alert.Response.String()
	t.Logf("alert %s response: %s", ev.Alert.ID, resp)
	if !strings.Contains(resp, "paused "+tg.Name+" in block ") {
		t.Errorf("response %q", resp)
	}
	ds, err := st.Decisions(ctx)
	if err != nil || len(ds) != 1 || ds[0].ID != d.ID || ds[0].AlertID != ev.Alert.ID || ds[0].Verdict != "acted" {
		t.Fatalf("stored decisions (%d) %v: want %s for alert %s", len(ds), err, d.ID, ev.Alert.ID)
	}
	select {
	case d := <-decided:
		t.Errorf("unexpected decision for %s (the unrelated deployment is %s): %s", d.AttackTx, plain.Hash(), d.Summary)
	default:
	}
}
