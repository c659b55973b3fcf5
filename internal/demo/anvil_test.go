package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/demo"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestLibraryDetectedPendingOnAnvil runs the whole attack library on a real
// Anvil node (--no-mining: every exploit waits in Anvil's mempool until the
// runner mines it) with the aegis monitor attached over WebSocket, and
// requires every scenario to be detected while its exploit was still
// pending and confirmed once mined — the same contract as on the embedded devnet, on a third-party
// node.
func TestLibraryDetectedPendingOnAnvil(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	a := testchain.StartAnvil(t, 10, "--no-mining")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env := &attack.Env{Client: a.Client, Deployer: a.Accounts[0], Guardian: a.Accounts[1],
		Attacker: a.Accounts[2], Users: a.Accounts[3:]}
	runner, err := demo.NewRunner(demo.Options{SkipSafe: true}, attack.Library(), nil,
		demo.Monitor(demo.MonitorOptions{PendingTimeout: 10 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := runner.Run(ctx, &demo.Session{Client: a.Client, Env: env, RPCURL: a.HTTPURL, WSURL: a.WSURL})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Scenarios) != len(attack.Library()) {
		t.Fatalf("%d scenarios ran, want %d", len(rep.Scenarios), len(attack.Library()))
	}
	for _, s := range rep.Scenarios {
		t.Logf("%-22s succeeded=%v profit=%.2f detected=%v stage=%s in %vms by %v",
			s.Name, s.Succeeded, s.AttackerProfitETH, s.Detected, s.DetectedStage, s.DetectionMS, s.Alerts)
		if !s.Succeeded || s.AttackerProfitETH <= 0 {
			t.Errorf("%s: the attack did not profit on Anvil", s.Name)
		}
		if !s.Detected || s.DetectedStage != "pending" {
			t.Errorf("%s: detected=%v stage=%q, want detection while pending", s.Name, s.Detected, s.DetectedStage)
		}
		if !s.Confirmed {
			t.Errorf("%s: the incident was not confirmed after mining", s.Name)
		}
	}
}
