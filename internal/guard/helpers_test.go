package guard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/devnet"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/sigdb"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// world is a running chain (devnet or Anvil) with the roles of attack.Env.
type world struct {
	t      testing.TB
	name   string
	rpc    *rpc.Client // HTTP, what the guard uses
	ec     *ethclient.Client
	client *chain.Client
	env    *attack.Env
	// mine mines a block on demand (nil for interval-mining chains).
	mine func(ctx context.Context) error
}

// devnetWorld starts the embedded devnet mining every period.
func devnetWorld(t testing.TB, period time.Duration) *world {
	t.Helper()
	ctx := context.Background()
	node, err := devnet.Start(ctx, devnet.Config{Mining: devnet.MineInterval, BlockPeriod: period})
	if err != nil {
		t.Fatalf("devnet: %v", err)
	}
	t.Cleanup(func() { _ = node.Close() })
	var accts []chain.Account
	for _, a := range node.Accounts() {
		accts = append(accts, chain.NewAccount(a.Key))
	}
	return newWorld(t, "devnet", node.HTTPURL(), accts)
}

// anvilWorld starts Anvil with 1 s blocks ordered by fees, or skips.
func anvilWorld(t testing.TB) *world {
	t.Helper()
	a := testchain.StartAnvil(t, 10, "--block-time", "1", "--order", "fees")
	return newWorld(t, "anvil", a.HTTPURL, a.Accounts)
}

func newWorld(t testing.TB, name, url string, accts []chain.Account) *world {
	t.Helper()
	ctx := context.Background()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	ec := ethclient.NewClient(rc)
	c, err := chain.New(ctx, ec, chain.WithRevertDecoder(contracts.RevertReason), chain.WithPollInterval(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, name: name, rpc: rc, ec: ec, client: c,
		env: &attack.Env{Client: c, Deployer: accts[0], Guardian: accts[1], Attacker: accts[2], Users: accts[3:8]}}
}

// manualWorld is the devnet in manual mode (fast setup; the test mines).
func manualWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	node, err := devnet.Start(ctx, devnet.Config{Mining: devnet.MineManual})
	if err != nil {
		t.Fatalf("devnet: %v", err)
	}
	t.Cleanup(func() { _ = node.Close() })
	var accts []chain.Account
	for _, a := range node.Accounts() {
		accts = append(accts, chain.NewAccount(a.Key))
	}
	mine := func(ctx context.Context) error { _, err := node.Commit(ctx); return err }
	w := newWorld(t, "devnet-manual", node.HTTPURL(), accts)
	c, err := chain.New(ctx, w.ec, chain.WithMiner(mine), chain.WithRevertDecoder(contracts.RevertReason), chain.WithPollInterval(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	w.client, w.env.Client, w.mine = c, c, mine
	return w
}

// watchlist is a map-backed detect.Watchlist.
type watchlist struct {
	by map[common.Address]detect.Protocol
}

func (w *watchlist) Protocol(a common.Address) (detect.Protocol, bool) {
	p, ok := w.by[a]
	return p, ok
}

func (w *watchlist) Protocols() []detect.Protocol {
	var out []detect.Protocol
	seen := map[string]bool{}
	for _, p := range w.by {
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// monitor runs the default detectors on pending transactions the way the
// monitor pipeline does.
type monitor struct {
	fetcher *txmodel.Fetcher
	env     *detect.Env
	dets    []detect.Detector
}

func newMonitor(w *world, targets []attack.Target, weth ...common.Address) *monitor {
	wl := &watchlist{by: map[common.Address]detect.Protocol{}}
	for _, tg := range targets {
		wl.by[tg.Address] = detect.Protocol{Name: tg.Name, Addresses: []common.Address{tg.Address}}
	}
	ec := w.ec
	holdings := func(ctx context.Context, addr, asset common.Address) (*big.Int, error) {
		if asset == (common.Address{}) {
			return ec.BalanceAt(ctx, addr, nil)
		}
		data := append(common.FromHex("0x70a08231"), common.LeftPadBytes(addr.Bytes(), 32)...)
		out, err := ec.CallContract(ctx, ethereum.CallMsg{To: &asset, Data: data}, nil)
		if err != nil || len(out) < 32 {
			return nil, nil //nolint:nilerr // not an ERC-20: unknown
		}
		return new(big.Int).SetBytes(out[:32]), nil
	}
	return &monitor{
		fetcher: txmodel.NewFetcher(w.rpc, txmodel.NewDecoder(sigdb.Default()), txmodel.WithTokenResolver(txmodel.NewRPCTokenResolver(w.rpc))),
		env: &detect.Env{ChainID: w.client.ChainID().Uint64(), Watch: wl, Prices: pricing.New(pricing.Config{WETH: weth}),
			Now: time.Now, Holdings: holdings},
		dets: detectors.Default(detectors.DefaultConfig()),
	}
}

// inspect simulates the pending tx and runs every detector on it.
func (m *monitor) inspect(ctx context.Context, tx *types.Transaction) ([]alert.Observation, error) {
	ptx, err := m.fetcher.Pending(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("simulate pending: %w", err)
	}
	var out []alert.Observation
	for _, d := range m.dets {
		obs, err := d.Inspect(ctx, m.env, ptx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Meta().Name, err)
		}
		out = append(out, obs...)
	}
	return out, nil
}

// recorder collects decisions and their JSON.
type recorder struct {
	mu   sync.Mutex
	decs []*guard.Decision
	json bytes.Buffer
}

func (r *recorder) Record(d *guard.Decision) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.decs = append(r.decs, d)
	b, _ := json.Marshal(d)
	r.json.Write(b)
	r.json.WriteByte('\n')
}

// pausePolicy protects target with the guardian's pause().
func pausePolicy(tg attack.Target, mode guard.Mode) guard.Policy {
	return guard.Policy{
		Protocol:  tg.Name,
		Addresses: []common.Address{tg.Address},
		// Default trigger: two corroborating critical signals, confidence ≥ 0.85.
		Actions: []guard.Call{{Target: tg.Address, Signature: "pause()"}},
		Mode:    mode,
	}
}

// newGuard builds a guard for w with the given signer key and policies; its
// logs go to logBuf.
func newGuard(t testing.TB, w *world, key chain.Account, logBuf *bytes.Buffer, rec guard.Recorder, clock func() time.Time, ps ...guard.Policy) *guard.Guard {
	t.Helper()
	s, err := guard.NewSigner(key.Key)
	if err != nil {
		t.Fatal(err)
	}
	var log *slog.Logger
	if logBuf != nil {
		log = slog.New(slog.NewJSONHandler(logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	g, err := guard.New(context.Background(), guard.Config{RPC: w.rpc, Signer: s, Policies: guard.Policies{Protocols: ps},
		Recorder: rec, Logger: log, Clock: clock, RevertDecoder: contracts.RevertReason, WatchTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// waitNewHead returns right after the chain's head changes, so a test can
// send a transaction at the start of a block period.
func waitNewHead(ctx context.Context, t testing.TB, ec *ethclient.Client) {
	t.Helper()
	start, err := ec.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for {
		n, err := ec.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n > start {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func balance(ctx context.Context, t testing.TB, ec *ethclient.Client, a common.Address) *big.Int {
	t.Helper()
	b, err := ec.BalanceAt(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mineAfterSend mines one block on w (a manual-mining world) as soon as
// addr's pending nonce passes nonce, i.e. when the guard's protective
// transaction has reached the pool, so the guard always acts on a pending
// attack and the attack is then mined right behind the protection, however
// slow the machine is. The returned func stops the watcher (if it has not
// mined yet) and waits for it; it reports an error from mining.
func mineAfterSend(t testing.TB, w *world, addr common.Address, nonce uint64) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			n, err := w.ec.PendingNonceAt(ctx, addr)
			if ctx.Err() != nil {
				done <- nil
				return
			}
			if err != nil {
				done <- fmt.Errorf("pending nonce of %s: %w", addr, err)
				return
			}
			if n > nonce {
				done <- w.mine(ctx)
				return
			}
			select {
			case <-ctx.Done():
				done <- nil
				return
			case <-tick.C:
			}
		}
	}()
	return func() error {
		defer cancel()
		select {
		case err := <-done:
			return err
		default:
		}
		cancel()
		return <-done
	}
}
