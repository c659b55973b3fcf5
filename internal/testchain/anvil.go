package testchain

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/devnet"

	"github.com/aegis-defi/aegis/internal/testenv"
)

// Anvil is a running Anvil node (the real third-party node from the npm
// package @foundry-rs/anvil-linux-amd64, pinned in tools/anvil) with the
// devnet's deterministic accounts funded on it.
type Anvil struct {
	// HTTPURL and WSURL are its JSON-RPC endpoints (one port).
	HTTPURL, WSURL string
	// RPC is a raw client, e.g. for anvil_* and evm_mine.
	RPC *rpc.Client
	// Client sends transactions; it calls evm_mine after each Transact
	// when the node was started with --no-mining.
	Client *chain.Client
	// Accounts are funded with 1,000,000 ETH each.
	Accounts []chain.Account
}

// AnvilPath returns the Anvil binary: $AEGIS_ANVIL, the pinned npm package
// in tools/anvil, or anvil on $PATH; "" when none exists.
func AnvilPath() string {
	_, file, _, _ := runtime.Caller(0)
	pinned := filepath.Join(filepath.Dir(file), "..", "..", "tools", "anvil", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil")
	for _, p := range []string{os.Getenv("AEGIS_ANVIL"), pinned} {
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
	return ""
}

// StartAnvil runs Anvil on a free loopback port with args (for example
// "--no-mining", or "--block-time", "1", "--order", "fees") until the test
// ends, and funds n accounts. It skips the test when Anvil is not installed
// (scripts/test.sh installs it).
func StartAnvil(t testing.TB, n int, args ...string) *Anvil {
	t.Helper()
	bin := AnvilPath()
	testenv.Require(t, bin != "", "anvil", "run scripts/test.sh or set AEGIS_ANVIL")
	p, err := LaunchAnvil(bin, append([]string{"--gas-limit", "60000000"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	port := p.Port
	a := &Anvil{HTTPURL: fmt.Sprintf("http://127.0.0.1:%d", port), WSURL: fmt.Sprintf("ws://127.0.0.1:%d", port)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		c, err := rpc.DialContext(ctx, a.WSURL)
		if err == nil {
			var bn hexutil.Uint64
			if err = c.CallContext(ctx, &bn, "eth_blockNumber"); err == nil {
				a.RPC = c
				t.Cleanup(c.Close)
				break
			}
			c.Close()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("anvil on port %d did not come up: %v", port, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	accts, err := devnet.DeriveAccounts(n)
	if err != nil {
		t.Fatal(err)
	}
	bal := hexutil.Big(*devnet.DevBalance())
	for _, acc := range accts {
		if err := a.RPC.CallContext(ctx, nil, "anvil_setBalance", acc.Address, &bal); err != nil {
			t.Fatalf("anvil_setBalance: %v", err)
		}
		a.Accounts = append(a.Accounts, chain.NewAccount(acc.Key))
	}
	opts := []chain.Option{chain.WithRevertDecoder(contracts.RevertReason)}
	for _, arg := range args {
		if arg == "--no-mining" {
			opts = append(opts, chain.WithMiner(func(ctx context.Context) error {
				return a.RPC.CallContext(ctx, nil, "evm_mine")
			}))
		}
	}
	if a.Client, err = chain.Dial(ctx, a.HTTPURL, opts...); err != nil {
		t.Fatal(err)
	}
	return a
}

// AnvilProcess is an Anvil node started by LaunchAnvil.
type AnvilProcess struct {
	// Port is the loopback port it listens on (HTTP and WebSocket).
	Port int
	// Pid is its process id.
	Pid     int
	cmd     *exec.Cmd
	drained chan struct{}
}

// LaunchAnvil starts Anvil at bin with args on a port the system picks
// (--port 0) and returns once it listens, with the port it printed.
// Picking a free port first and passing it would race with any other
// process doing the same (two test packages starting Anvil at once): the
// loser fails to bind and its caller talks to the winner's node. Anvil's
// output is read until then and discarded afterwards (by a goroutine that
// ends when the process does).
func LaunchAnvil(bin string, args ...string) (*AnvilProcess, error) {
	cmd := exec.Command(bin, append([]string{"--port", "0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("anvil stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start anvil: %w", err)
	}
	p := &AnvilProcess{Pid: cmd.Process.Pid, cmd: cmd, drained: make(chan struct{})}
	ports := make(chan int, 1)
	go func() {
		defer close(p.drained)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Listening on "); ok {
				if _, port, err := net.SplitHostPort(rest); err == nil {
					if n, err := strconv.Atoi(port); err == nil {
						select {
						case ports <- n:
						default:
						}
					}
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case p.Port = <-ports:
		return p, nil
	case <-p.drained:
		p.Stop()
		return nil, fmt.Errorf("anvil exited before listening (%s)", strings.Join(cmd.Args, " "))
	case <-time.After(30 * time.Second):
		p.Stop()
		return nil, fmt.Errorf("anvil did not say where it listens within 30 s")
	}
}

// Stop kills the node and waits for it and its output reader.
func (p *AnvilProcess) Stop() {
	_ = p.cmd.Process.Kill()
	<-p.drained
	_ = p.cmd.Wait()
}
