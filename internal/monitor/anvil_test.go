package monitor_test

import (
	"context"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/devnet"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
)

// findAnvil returns the Anvil binary ($AEGIS_ANVIL, the pinned npm package,
// $PATH) or skips the test.
func findAnvil(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	for _, p := range []string{os.Getenv("AEGIS_ANVIL"), filepath.Join(root, "tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("anvil"); err == nil {
		return p
	}
	t.Skip("anvil not installed (run scripts/test.sh or set AEGIS_ANVIL)")
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startAnvil runs `anvil --no-mining` on a free port until the test ends.
func startAnvil(t *testing.T, ctx context.Context) (url string, rc *rpc.Client) {
	t.Helper()
	bin := findAnvil(t)
	port := freePort(t)
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--no-mining", "--silent", "--gas-limit", "60000000")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start anvil: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url = fmt.Sprintf("ws://127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := rpc.DialContext(ctx, url)
		if err == nil {
			var n hexutil.Uint64
			if err = c.CallContext(ctx, &n, "eth_blockNumber"); err == nil {
				t.Cleanup(c.Close)
				return url, c
			}
			c.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("anvil on %s did not come up: %v", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPendingOnAnvil: the reentrancy exploit is alerted at the pending
// stage on Anvil (no mining until asked), then promoted once mined.
func TestPendingOnAnvil(t *testing.T) {
	ctx := testCtx(t)
	url, rc := startAnvil(t, ctx)
	accts, err := devnet.DeriveAccounts(8)
	if err != nil {
		t.Fatal(err)
	}
	var as []chain.Account
	for _, a := range accts {
		bal := hexutil.Big(*new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18)))
		if err := rc.CallContext(ctx, nil, "anvil_setBalance", a.Address, &bal); err != nil {
			t.Fatalf("anvil_setBalance: %v", err)
		}
		as = append(as, chain.NewAccount(a.Key))
	}
	mine := func(ctx context.Context) error { return rc.CallContext(ctx, nil, "evm_mine") }
	cl, err := chain.Dial(ctx, url, chain.WithMiner(mine))
	if err != nil {
		t.Fatal(err)
	}
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
