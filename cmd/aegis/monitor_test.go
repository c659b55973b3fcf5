package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func TestMonitorBadInput(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	const w = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"monitor", "--rpc", "ws://127.0.0.1:1", "--watch", w}, "monitor: connect to ws://127.0.0.1:1"},
		{[]string{"monitor", "--rpc", "http://127.0.0.1:1", "--watch", w}, "monitor: eth_chainId on http://127.0.0.1:1"},
		{[]string{"monitor", "--rpc", "ws://127.0.0.1:1", "--watch", w, "--metrics-addr", ln.Addr().String()}, "metrics: listen on " + ln.Addr().String()},
		{[]string{"monitor", "--rpc", "ws://127.0.0.1:1", "--watch", "0x12"}, `--watch "0x12"`},
		{[]string{"monitor", "--rpc", "ws://127.0.0.1:1"}, "nothing to watch"},
		{[]string{"monitor", "--rpc", "ws://127.0.0.1:1", "--risk-factory", "0xfactory"}, `--risk-factory: "0xfactory"`},
		// a factory alone is something to watch: the connection is tried
		{[]string{"monitor", "--rpc", "ws://127.0.0.1:1", "--risk-factory", w}, "monitor: connect to ws://127.0.0.1:1"},
		{[]string{"config", "check", "testdata/nope.yaml"}, "read config"},
	} {
		_, _, err := runCLI(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v, want one line containing %q", c.args, err, c.want)
		}
	}
}

func TestConfigCheckExample(t *testing.T) {
	out, _, err := runCLI(t, "config", "check", "../../docs/aegis.example.yaml")
	if err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("config check: %v %s", err, out)
	}
}

// syncBuffer is a goroutine-safe bytes.Buffer.
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

// TestMonitorCommand runs `aegis monitor` against a devnet: the reentrancy
// exploit is alerted while pending, promoted once mined; /metrics and
// /healthz answer; SIGINT-style cancellation shuts down cleanly with the
// checkpoint saved.
func TestMonitorCommand(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tc := testchain.New(t)
	env := &attack.Env{Client: tc.Client, Deployer: tc.Accounts[0], Guardian: tc.Accounts[1], Attacker: tc.Accounts[2], Users: tc.Accounts[3:]}
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "alerts.jsonl")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var out, errb syncBuffer
	mctx, stop := context.WithCancel(ctx)
	root := newRootCmd(&out, &errb)
	root.SetArgs([]string{"monitor", "--rpc", tc.Node.WSURL(), "--watch", staged.Targets()[0].Address.Hex() + "=Bank",
		"--alerts-jsonl", jsonl, "--data-dir", filepath.Join(dir, "data"), "--metrics-addr", addr})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(mctx) }()
	defer func() { stop(); <-done }()

	healthy := false
	for i := 0; i < 200 && !healthy; i++ {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			healthy = resp.StatusCode == http.StatusOK
			resp.Body.Close()
		}
		if !healthy {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !healthy {
		t.Fatalf("monitor never healthy; stderr: %s", errb.String())
	}
	res, err := attack.Execute(ctx, tc.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
		// The pending alert must be written before the tx is mined.
		for i := 0; i < 200; i++ {
			if evs := readEvents(t, jsonl); len(evs) > 0 {
				if evs[0].Alert.Stage != alert.StagePending {
					t.Errorf("first alert stage %s", evs[0].Alert.Stage)
				}
				return nil
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Errorf("no pending alert before mining; stdout: %s", out.String())
		return nil
	})
	if err != nil || !res.Succeeded {
		t.Fatalf("attack: %v", err)
	}
	var evs []alert.Event
	for i := 0; i < 200; i++ {
		if evs = readEvents(t, jsonl); len(evs) >= 2 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if len(evs) < 2 || evs[1].Kind != alert.EventPromoted {
		t.Fatalf("events %+v", evs)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	for _, m := range []string{"aegis_monitor_blocks_processed_total", "aegis_monitor_pending_simulated_total 1",
		`aegis_monitor_alerts_total{detector="reentrancy",severity="critical"}`, "aegis_monitor_detector_latency_seconds_bucket"} {
		if !strings.Contains(body.String(), m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	head, _ := tc.Node.Client().BlockNumber(ctx)
	stop()
	if err := <-done; err != nil {
		t.Fatalf("monitor: %v", err)
	}
	done <- nil
	if !strings.Contains(errb.String(), "monitor stopped") {
		t.Errorf("stderr: %s", errb.String())
	}
	if !strings.Contains(out.String(), "[CRITICAL]") {
		t.Errorf("console: %s", out.String())
	}
	st, err := store.Open(ctx, filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cp, ok, _ := st.Checkpoint(ctx, tc.Node.ChainID().Uint64())
	als, _ := st.Alerts(ctx)
	if !ok || cp.Number != head || len(als) != 1 || als[0].Stage != alert.StageConfirmed {
		t.Errorf("store: checkpoint %d (head %d), %d alerts", cp.Number, head, len(als))
	}
}

func readEvents(t *testing.T, path string) []alert.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []alert.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev alert.Event
		if json.Unmarshal(sc.Bytes(), &ev) == nil {
			out = append(out, ev)
		}
	}
	return out
}

// TestGuardCmdErrors: `aegis guard` needs a config with a guard section and
// a readable key; each failure is one clear line.
func TestGuardCmdErrors(t *testing.T) {
	dir := t.TempDir()
	noGuard := filepath.Join(dir, "no-guard.yaml")
	if err := os.WriteFile(noGuard, []byte("monitor:\n  rpc: ws://127.0.0.1:1\n  watch: [{name: x, address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withGuard := filepath.Join(dir, "guard.yaml")
	pol := "guard:\n  keystore: missing.json\n  password_file: missing.password\n  protocols:\n    - protocol: x\n      actions: [{target: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\", signature: pause()}]\n"
	if err := os.WriteFile(withGuard, []byte(pol+"monitor:\n  rpc: ws://127.0.0.1:1\n  watch: [{name: x, address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"guard"}, "--config is required"},
		{[]string{"guard", "--config", noGuard}, "no guard.protocols"},
		{[]string{"guard", "--config", withGuard}, "guard: read keystore"},
	} {
		_, _, err := runCLI(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v, want one line containing %q", c.args, err, c.want)
		}
	}
}

// TestMonitorDataDirInUse: a second `aegis monitor` on a data dir in use
// fails at once, before connecting, naming the directory and the pid.
func TestMonitorDataDirInUse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	began := time.Now()
	_, _, err = runCLI(t, "monitor", "--rpc", "ws://127.0.0.1:1", "--watch", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--data-dir", dir)
	want := fmt.Sprintf("data dir %s is in use by another aegis monitor (pid %d)", dir, os.Getpid())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want %q", err, want)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
}
