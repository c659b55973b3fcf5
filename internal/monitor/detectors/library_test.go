package detectors_test

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/sigdb"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/traffic"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// watchlist is a map-backed detect.Watchlist.
type watchlist struct {
	by    map[common.Address]detect.Protocol
	order []string
}

func (w *watchlist) add(name string, addrs ...common.Address) {
	if w.by == nil {
		w.by = map[common.Address]detect.Protocol{}
	}
	p := detect.Protocol{Name: name, Addresses: addrs}
	for _, a := range addrs {
		w.by[a] = p
	}
	w.order = append(w.order, name)
}

func (w *watchlist) Protocol(a common.Address) (detect.Protocol, bool) {
	p, ok := w.by[a]
	return p, ok
}

func (w *watchlist) Protocols() []detect.Protocol {
	seen := map[string]bool{}
	var out []detect.Protocol
	for _, p := range w.by {
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

type labels map[common.Address]string

func (l labels) Label(a common.Address) (string, bool) {
	s, ok := l[a]
	return s, ok
}

// harness runs the default detectors over devnet transactions the way the
// monitor pipeline does.
type harness struct {
	t       *testing.T
	ec      *ethclient.Client
	fetcher *txmodel.Fetcher
	prices  *pricing.Pricer
	env     *detect.Env
	dets    []detect.Detector
	// holdAt is the block the Holdings function reads (nil: latest).
	holdAt *big.Int
	// next is the next block to process as mined.
	next uint64
}

func (h *harness) holdings(ctx context.Context, addr, asset common.Address) (*big.Int, error) {
	if asset == (common.Address{}) {
		return h.ec.BalanceAt(ctx, addr, h.holdAt)
	}
	data := append(common.FromHex("0x70a08231"), common.LeftPadBytes(addr.Bytes(), 32)...)
	out, err := h.ec.CallContract(ctx, ethereum.CallMsg{To: &asset, Data: data}, h.holdAt)
	if err != nil || len(out) < 32 {
		return nil, nil //nolint:nilerr // not an ERC-20: holdings unknown
	}
	return new(big.Int).SetBytes(out[:32]), nil
}

func (h *harness) inspect(ctx context.Context, tx *txmodel.Tx) []alert.Observation {
	h.t.Helper()
	var out []alert.Observation
	for _, d := range h.dets {
		obs, err := d.Inspect(ctx, h.env, tx)
		if err != nil {
			h.t.Errorf("%s on %s: %v", d.Meta().Name, tx.Hash, err)
		}
		out = append(out, obs...)
	}
	return out
}

// mined processes every block up to the head as mined and returns the
// observations.
func (h *harness) mined(ctx context.Context) []alert.Observation {
	h.t.Helper()
	head, err := h.ec.BlockNumber(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []alert.Observation
	for ; h.next <= head; h.next++ {
		txs, err := h.fetcher.Block(ctx, new(big.Int).SetUint64(h.next))
		if err != nil {
			h.t.Fatalf("block %d: %v", h.next, err)
		}
		if h.next > 0 {
			h.holdAt = new(big.Int).SetUint64(h.next - 1)
		}
		for _, tx := range txs {
			out = append(out, h.inspect(ctx, tx)...)
			h.prices.Observe(tx)
		}
		h.holdAt = nil
	}
	return out
}

func summarize(obs []alert.Observation, minSev alert.Severity) string {
	var parts []string
	seen := map[string]bool{}
	for _, o := range obs {
		if o.Severity < minSev {
			continue
		}
		k := o.Detector + ":" + o.Severity.String()
		if !seen[k] {
			seen[k] = true
			parts = append(parts, k)
		}
	}
	return strings.Join(parts, ", ")
}

// TestLibrary is the acceptance test: benign traffic (swaps, arbitrage,
// sandwiches, liquidations) yields no high/critical observation, and every
// attack of the library gets one on a pending exploit transaction.
func TestLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("devnet acceptance test")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tc := testchain.New(t)
	ec := tc.Node.Client()
	rpcc := ec.Client()
	deployer, guardian := tc.Accounts[0], tc.Accounts[1]
	tb, err := testbed.Deploy(ctx, tc.Client, deployer, guardian, testbed.Options{})
	if err != nil {
		t.Fatalf("deploy testbed: %v", err)
	}
	watch := &watchlist{}
	for _, n := range tb.Contracts() {
		watch.add(n.Name, n.Contract.Address)
	}
	prices := pricing.New(pricing.Config{WETH: []common.Address{tb.WETH.Address}})
	for _, pair := range []*chain.Contract{tb.Pair, tb.Pair2} {
		t0, err0 := pair.Call(ctx, "token0")
		t1, err1 := pair.Call(ctx, "token1")
		res, err2 := pair.Call(ctx, "getReserves")
		if err0 != nil || err1 != nil || err2 != nil {
			t.Fatalf("pair state: %v %v %v", err0, err1, err2)
		}
		prices.SetPool(pricing.Pool{Address: pair.Address, Token0: t0[0].(common.Address), Token1: t1[0].(common.Address),
			Reserve0: res[0].(*big.Int), Reserve1: res[1].(*big.Int)})
	}
	head, err := ec.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ec: ec, prices: prices, next: head + 1,
		fetcher: txmodel.NewFetcher(rpcc, txmodel.NewDecoder(sigdb.Default()), txmodel.WithTokenResolver(txmodel.NewRPCTokenResolver(rpcc))),
		dets:    detectors.Default(detectors.DefaultConfig())}
	h.env = &detect.Env{ChainID: 1337, Watch: watch, Prices: prices, Now: time.Now, Holdings: h.holdings,
		Labels: labels{deployer.Address: "deployer", guardian.Address: "guardian"}}

	// Benign traffic.
	gen, err := traffic.New(traffic.Config{Seed: 7, Transactions: 150}, tc.Client, tb, tc.Accounts[2], nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := gen.Run(ctx)
	if err != nil {
		t.Fatalf("traffic: %v", err)
	}
	for _, k := range []traffic.Kind{traffic.KindArbitrage, traffic.KindSandwichFront, traffic.KindLiquidate} {
		if st.ByKind[string(k)] == 0 {
			t.Errorf("traffic has no %s transaction: %v", k, st.ByKind)
		}
	}
	benign := h.mined(ctx)
	bySev := map[alert.Severity]int{}
	for _, o := range benign {
		bySev[o.Severity]++
		if o.Severity >= alert.SeverityHigh {
			t.Errorf("benign tx %s: %s %s: %s", o.TxHash, o.Detector, o.Severity, o.Message)
		}
	}
	t.Logf("benign: %d main + %d setup txs %v; observations by severity: info %d, low %d, medium %d, high %d, critical %d",
		st.Transactions, st.Setup, st.ByKind, bySev[alert.SeverityInfo], bySev[alert.SeverityLow], bySev[alert.SeverityMedium],
		bySev[alert.SeverityHigh], bySev[alert.SeverityCritical])
	for _, o := range benign {
		if o.Severity >= alert.SeverityMedium {
			t.Logf("  benign %s %s: %s", o.Detector, o.Severity, o.Message)
		}
	}

	// Attacks.
	aenv := &attack.Env{Client: tc.Client, Deployer: deployer, Guardian: guardian, Attacker: tc.Accounts[3], Users: tc.Accounts[4:]}
	for _, sc := range attack.Library() {
		name := sc.Info().Name
		staged, err := sc.Setup(ctx, aenv, attack.Vulnerable)
		if err != nil {
			t.Fatalf("%s setup: %v", name, err)
		}
		for _, tg := range staged.Targets() {
			if _, ok := watch.Protocol(tg.Address); !ok {
				watch.add(name+"/"+tg.Name, tg.Address)
			}
		}
		setupObs := h.mined(ctx)
		if s := summarize(setupObs, alert.SeverityHigh); s != "" {
			t.Logf("%s setup (not asserted): %s", name, s)
		}
		var pendingObs []alert.Observation
		var lines []string
		step := 0
		res, err := attack.Execute(ctx, tc.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
			step++
			ptx, err := h.fetcher.Pending(ctx, tx)
			if err != nil {
				return fmt.Errorf("simulate pending: %w", err)
			}
			obs := h.inspect(ctx, ptx)
			pendingObs = append(pendingObs, obs...)
			lines = append(lines, fmt.Sprintf("tx%d %s [%s]", step, ptx.Function, summarize(obs, alert.SeverityLow)))
			return nil
		})
		if err != nil {
			t.Fatalf("%s execute: %v", name, err)
		}
		minedObs := h.mined(ctx)
		if !res.Succeeded {
			t.Errorf("%s: attack did not succeed on the vulnerable variant", name)
		}
		high := summarize(pendingObs, alert.SeverityHigh)
		t.Logf("%-20s pending: %s | mined high+: %s", name, strings.Join(lines, "; "), summarize(minedObs, alert.SeverityHigh))
		if high == "" {
			t.Errorf("%s: no high/critical observation on any pending exploit tx", name)
		}
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Logf("acceptance test took %s (budget 30s)", d.Round(time.Second))
	}
}
