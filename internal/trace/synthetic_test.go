package trace_test

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/trace"
)

// synth builds a graph from (block, from, to, ETH) moves, one
// transaction each.
type synth struct {
	t    *testing.T
	rows []index.FlowRow
}

func addr(name string) common.Address {
	return common.BytesToAddress(crypto.Keccak256([]byte(name))[:20])
}

func wei(eth float64) *big.Int {
	v, _ := new(big.Float).Mul(big.NewFloat(eth), big.NewFloat(1e18)).Int(nil)
	return v
}

func (s *synth) move(block uint64, from, to string, eth float64) common.Hash {
	h := crypto.Keccak256Hash([]byte(fmt.Sprintf("%d/%d", block, len(s.rows))))
	s.rows = append(s.rows, index.FlowRow{Block: block, TxIndex: uint(len(s.rows)), Tx: h, Kind: index.FlowTransfer,
		From: addr(from), To: addr(to), Asset: index.ETH(), Amount: wei(eth)})
	return h
}

func (s *synth) db() *index.DB {
	s.t.Helper()
	g, err := index.Open(context.Background(), s.t.TempDir())
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { _ = g.Close() })
	if err := g.InsertFlows(context.Background(), s.rows); err != nil {
		s.t.Fatal(err)
	}
	return g
}

func holding(t *testing.T, r *trace.Result, name string) float64 {
	t.Helper()
	ep := endpoint(r, addr(name))
	if ep == nil {
		return 0
	}
	var v float64
	for _, h := range ep.Holdings {
		v += trace.Units(h.Amount)
	}
	return v
}

// TestModels checks the three models' numbers on one mixed account: x
// holds 100 clean ETH, receives 100 stolen, then sends 50 to y and 150
// to z.
func TestModels(t *testing.T) {
	s := &synth{t: t}
	s.move(1, "salary", "x", 100)
	theft := s.move(2, "victim", "x", 100)
	s.move(3, "x", "y", 50)
	s.move(4, "x", "z", 150)
	g := s.db()
	for _, tc := range []struct {
		model      trace.Model
		y, z, rest float64
	}{
		// haircut: half of every outflow is tainted.
		{trace.Haircut, 25, 75, 0},
		// fifo: the clean 100 leave first: y clean, z 50 clean + 100 stolen.
		{trace.FIFO, 0, 100, 0},
		// poison: every outflow after the theft is fully tainted.
		{trace.Poison, 50, 150, 0},
	} {
		res, err := trace.Run(context.Background(), g, trace.Options{Tx: &theft, Model: tc.model})
		if err != nil {
			t.Fatal(err)
		}
		y, z := holding(t, res, "y"), holding(t, res, "z")
		if math.Abs(y-tc.y) > 1e-9 || math.Abs(z-tc.z) > 1e-9 {
			t.Errorf("%s: y %.6g z %.6g, want %.6g %.6g", tc.model, y, z, tc.y, tc.z)
		}
	}
}

// TestCycleDustFanout: a ring passing the loot around, 2,000 dust
// transfers and a 600-way hub never hang and stay bounded.
func TestCycleDustFanout(t *testing.T) {
	s := &synth{t: t}
	theft := s.move(1, "victim", "a", 100)
	b := uint64(2)
	for i := 0; i < 50; i++ { // a → b → c → a, 50 times
		s.move(b, "a", "b", 90)
		s.move(b+1, "b", "c", 90)
		s.move(b+2, "c", "a", 90)
		b += 3
	}
	s.move(b, "a", "out", 90)
	for i := 0; i < 2000; i++ {
		s.move(b+1, "a", fmt.Sprintf("dust%d", i), 1e-15)
	}
	s.move(b+2, "a", "hub", 10)
	for i := 0; i < 600; i++ {
		s.move(b+3, "hub", fmt.Sprintf("user%d", i), 0.01)
	}
	g := s.db()
	res, err := trace.Run(context.Background(), g, trace.Options{Tx: &theft})
	if err != nil {
		t.Fatal(err)
	}
	if v := holding(t, res, "out"); math.Abs(v-90) > 1e-6 {
		t.Fatalf("out holds %.6g, want 90", v)
	}
	hub := endpoint(res, addr("hub"))
	if hub == nil || hub.Kind != trace.KindHub {
		t.Fatalf("hub endpoint %+v", hub)
	}
	if res.Visited > 5 || res.Expansions > 200 {
		t.Fatalf("visited %d nodes in %d expansions for a 5-node trace", res.Visited, res.Expansions)
	}
	// The cap bounds the work even around a cycle.
	capped, err := trace.Run(context.Background(), g, trace.Options{Tx: &theft, MaxNodes: 20})
	if err != nil {
		t.Fatal(err)
	}
	if capped.Expansions != 20 || !capped.Truncated {
		t.Fatalf("capped: %d expansions, truncated %v", capped.Expansions, capped.Truncated)
	}
	for _, ep := range res.Endpoints {
		if ep.Share < 0.001 {
			t.Fatalf("dust endpoint %+v", ep)
		}
	}
	var total float64
	for _, ep := range res.Endpoints {
		total += ep.Share
	}
	if math.Abs(total+res.Dropped-1) > 1e-6 {
		t.Fatalf("shares sum to %.9f + dropped %.9f", total, res.Dropped)
	}
}

// TestConsolidationIsNotAnExchange: a launderer splitting into five
// addresses that each sweep everything to one consolidation address is
// not an exchange (one funder), so the trace follows it to the end; five
// customers paying deposit addresses that sweep to one hub are.
func TestConsolidationIsNotAnExchange(t *testing.T) {
	s := &synth{t: t}
	theft := s.move(1, "victim", "thief", 100)
	for i := 0; i < 5; i++ {
		s.move(2, "thief", fmt.Sprintf("fwd%d", i), 20)
		s.move(3, fmt.Sprintf("fwd%d", i), "consolidation", 20)
	}
	s.move(4, "consolidation", "final", 100)
	for i := 0; i < 5; i++ {
		s.move(5, fmt.Sprintf("customer%d", i), fmt.Sprintf("deposit%d", i), 3)
		s.move(6, fmt.Sprintf("deposit%d", i), "hot", 3)
	}
	g := s.db()
	det := cluster.New(g)
	ctx := context.Background()
	if ok, why, _, err := det.HotWallet(ctx, addr("consolidation")); err != nil || ok {
		t.Fatalf("consolidation taken for a hot wallet: %v %s", err, why)
	}
	if ok, _, _, err := det.HotWallet(ctx, addr("hot")); err != nil || !ok {
		t.Fatalf("hot wallet not recognised: %v", err)
	}
	res, err := trace.Run(ctx, g, trace.Options{Tx: &theft, Classify: det.Classify})
	if err != nil {
		t.Fatal(err)
	}
	if v := holding(t, res, "final"); math.Abs(v-100) > 1e-6 {
		t.Fatalf("final holds %.6g, want 100 (endpoints %+v)", v, res.Endpoints)
	}
}

// TestHotWalletReachedThroughDeposit: a trace names an exchange hot
// wallet when the taint reaches it through one of its deposit addresses
// (Classify tests the hub only then); reached straight from the thief,
// the same hub is not tested, and it ends the trace as a hub instead.
func TestHotWalletReachedThroughDeposit(t *testing.T) {
	s := &synth{t: t}
	viaDeposit := s.move(1, "victim", "thief", 10)
	s.move(2, "thief", "deposit0", 10)
	s.move(3, "deposit0", "hot", 10)
	direct := s.move(4, "victim2", "thief2", 10)
	s.move(5, "thief2", "hot", 10)
	s.move(5, "thief2", "elsewhere", 1)
	// Both ways: a little straight to hot first (hot is queued, untested),
	// most through a deposit address, whose flow then gets hot tested
	// and stopped before it is expanded.
	both := s.move(4, "victim3", "thief3", 10)
	s.move(5, "thief3", "hot", 1)
	s.move(5, "thief3", "deposit5", 9)
	s.move(6, "deposit5", "hot", 9)
	s.move(8, "hot", "cold", 20) // a stopped hot wallet is not followed
	for i := 1; i < 5; i++ {
		s.move(6, fmt.Sprintf("customer%d", i), fmt.Sprintf("deposit%d", i), 3)
		s.move(7, fmt.Sprintf("deposit%d", i), "hot", 3)
	}
	g := s.db()
	det := cluster.New(g)
	ctx := context.Background()
	kind := func(tx common.Hash) string {
		res, err := trace.Run(ctx, g, trace.Options{Tx: &tx, Classify: det.Classify, MaxFanout: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Endpoints {
			if e.Address == addr("cold") && tx == both {
				t.Errorf("the trace went on past the hot wallet to cold: %+v", e)
			}
		}
		for _, e := range res.Endpoints {
			if e.Address == addr("hot") {
				return e.Kind
			}
		}
		t.Fatalf("hot is no endpoint: %+v", res.Endpoints)
		return ""
	}
	if k := kind(viaDeposit); k != "exchange-hot-wallet" {
		t.Errorf("reached through its deposit address: kind %q, want exchange-hot-wallet", k)
	}
	if k := kind(both); k != "exchange-hot-wallet" {
		t.Errorf("reached straight and through a deposit address: kind %q, want exchange-hot-wallet", k)
	}
	if k := kind(direct); k == "exchange-hot-wallet" {
		t.Errorf("reached straight from the thief: kind %q, want it untested", k)
	}
	// The detector itself: tested from a deposit address or with no via,
	// not from an address that does not forward to it.
	for _, c := range []struct {
		via  common.Address
		want string
	}{{addr("deposit1"), "exchange-hot-wallet"}, {common.Address{}, "exchange-hot-wallet"}, {addr("thief2"), ""}} {
		if k, _, err := det.Classify(ctx, addr("hot"), c.via); err != nil || k != c.want {
			t.Errorf("Classify(hot, via %s) = %q, %v; want %q", c.via, k, err, c.want)
		}
	}
}
