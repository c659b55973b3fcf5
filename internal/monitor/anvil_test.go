package monitor_test

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestPendingOnAnvil: the reentrancy exploit is alerted at the pending
// stage on Anvil (no mining until asked), then promoted once mined.
func TestPendingOnAnvil(t *testing.T) {
	ctx := testCtx(t)
	a := testchain.StartAnvil(t, 8, "--no-mining")
	url, cl, as := a.WSURL, a.Client, a.Accounts
	env := &attack.Env{Client: cl, Deployer: as[0], Guardian: as[1], Attacker: as[2], Users: as[3:]}
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	m, err := monitor.New(monitor.Config{
		RPCURL: url, Watch: watchTargets(staged), Detectors: []detect.Detector{reentrancyDetector{}},
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Cooldown: -1}), OnEvent: rec.on, Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	running(t, ctx, m)
	var pendingID string
	res, err := attack.Execute(ctx, cl, staged, func(ctx context.Context, tx *types.Transaction) error {
		wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		r, err := m.WaitPending(wctx, tx.Hash())
		if err != nil {
			return err
		}
		if len(r.Events) == 0 || r.Events[0].Alert.Stage != alert.StagePending {
			t.Fatalf("no pending alert: simulated=%v relevant=%v err=%v", r.Simulated, r.Relevant, r.Err)
		}
		pendingID = r.Events[0].Alert.ID
		t.Logf("anvil: pending alert after %v", r.DoneAt.Sub(r.SeenAt))
		return nil
	})
	if err != nil || !res.Succeeded {
		t.Fatalf("attack: %v (succeeded=%v)", err, res != nil && res.Succeeded)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	prom := rec.waitFor(t, wctx, "promoted", func(ev alert.Event) bool { return ev.Kind == alert.EventPromoted })
	if prom.Alert.ID != pendingID {
		t.Fatalf("promoted %s, want %s", prom.Alert.ID, pendingID)
	}
}
