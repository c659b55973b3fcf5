package traffic

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"testing"
	"time"
)

func runGenerator(t *testing.T, cfg Config) (*Generator, Stats) {
	t.Helper()
	g, _ := newTestGenerator(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := g.Run(ctx)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return g, st
}

// TestRunAllKinds runs 200 transactions and wants every kind but the
// occasional redeem-supply represented, under 2% reverted.
func TestRunAllKinds(t *testing.T) {
	_, st := runGenerator(t, Config{Seed: 1, Transactions: 200})
	t.Logf("stats: %+v", st)
	t.Logf("throughput: %.0f tx/s overall, main phase %d txs in %d blocks",
		float64(st.Transactions+st.Setup)/st.Duration.Seconds(), st.Transactions, st.Blocks)
	if st.Transactions < 200 || st.Transactions > 202 {
		t.Errorf("sent %d transactions, want 200", st.Transactions)
	}
	if st.Reverted*50 >= st.Transactions {
		t.Errorf("%d of %d reverted, want < 2%%", st.Reverted, st.Transactions)
	}
	if st.Failed > 0 {
		t.Errorf("%d transactions refused by the node", st.Failed)
	}
	for _, k := range []Kind{KindSwap, KindAddLiquidity, KindRemoveLiquidity, KindDeposit, KindSupply,
		KindBorrow, KindRepay, KindTransferETH, KindTransferToken, KindWrap, KindUnwrap, KindArbitrage,
		KindSandwichFront, KindSandwichVictim, KindSandwichBack, KindLiquidate, KindWithdraw} {
		if st.ByKind[string(k)] == 0 {
			t.Errorf("no %s transaction in %v", k, st.ByKind)
		}
	}
	sum := 0
	for _, n := range st.ByKind {
		sum += n
	}
	if sum != st.Transactions {
		t.Errorf("ByKind sums to %d, Transactions is %d", sum, st.Transactions)
	}
}

// actionKey is what must be identical between two runs with one seed.
type actionKey struct {
	Kind          Kind
	Actor, Method string
	Amount        string
	Reverted      bool
}

func keys(as []Action) []actionKey {
	out := make([]actionKey, len(as))
	for i, a := range as {
		out[i] = actionKey{a.Kind, a.Actor, a.Method, a.Amount.String(), a.Reverted}
	}
	return out
}

func TestDeterministic(t *testing.T) {
	cfg := Config{Seed: 42, Transactions: 120}
	g1, st1 := runGenerator(t, cfg)
	g2, st2 := runGenerator(t, cfg)
	k1, k2 := keys(g1.Actions()), keys(g2.Actions())
	if !slices.Equal(k1, k2) {
		for i := range min(len(k1), len(k2)) {
			if k1[i] != k2[i] {
				t.Fatalf("runs diverge at action %d of %d/%d:\n %+v\n %+v", i, len(k1), len(k2), k1[i], k2[i])
			}
		}
		t.Fatalf("runs have %d and %d actions", len(k1), len(k2))
	}
	same := 0
	a1, a2 := g1.Actions(), g2.Actions()
	for i := range a1 {
		if a1[i].Tx == a2[i].Tx {
			same++
		}
	}
	t.Logf("%d actions identical; %d of them with identical tx hashes; stats %v / %v", len(k1), same, st1.ByKind, st2.ByKind)

	g3, _ := newTestGenerator(t, Config{Seed: 43, Transactions: 120})
	if g3.Actors()[0] == g1.Actors()[0] {
		t.Error("different seeds derived the same actor")
	}
}

func TestArbitrageClosesGap(t *testing.T) {
	g, _ := newTestGenerator(t, Config{Seed: 5, Transactions: 1})
	ctx := context.Background()
	if err := g.setup(ctx); err != nil {
		t.Fatal(err)
	}
	// Widen the gap: a whale buys 3% of the second pool's TKN.
	whale := g.actors[0]
	if err := g.swap(ctx, whale, KindSwap, 1, true, false, 0.03, 0.01, tipUser); err != nil {
		t.Fatal(err)
	}
	if err := g.flush(ctx); err != nil {
		t.Fatal(err)
	}
	p0, p1 := g.w.pools[0].res.priceBInA(), g.w.pools[1].res.priceBInA()
	t.Logf("before: amm %.6f, amm2 %.6f (gap %.2f%%)", p0, p1, 100*(p1/p0-1))
	if gap := p1/p0 - 1; gap < 0.02 {
		t.Fatalf("gap %.4f too small for the test", gap)
	}
	bot := g.arbBot.acct.Address
	before, err := tokenBalance(ctx, g.w.weth, bot)
	if err != nil {
		t.Fatal(err)
	}
	predicted, err := g.arbitrage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.flush(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := tokenBalance(ctx, g.w.weth, bot)
	if err != nil {
		t.Fatal(err)
	}
	profit := new(big.Int).Sub(after, before)
	p0, p1 = g.w.pools[0].res.priceBInA(), g.w.pools[1].res.priceBInA()
	t.Logf("after: amm %.6f, amm2 %.6f (gap %.3f%%), profit %s wei (predicted %s)", p0, p1, 100*(p1/p0-1), profit, predicted)
	if profit.Sign() <= 0 || profit.Cmp(predicted) != 0 {
		t.Errorf("bot profit %s, predicted %s", profit, predicted)
	}
	if gap := p1/p0 - 1; gap > 0.01 || gap < -0.01 {
		t.Errorf("prices did not converge within 1%%: gap %.4f", gap)
	}
	if g.stats.Reverted != 0 {
		t.Errorf("%d reverted", g.stats.Reverted)
	}
}

func TestSandwich(t *testing.T) {
	g, env := newTestGenerator(t, Config{Seed: 9, Transactions: 1})
	ctx := context.Background()
	if err := g.setup(ctx); err != nil {
		t.Fatal(err)
	}
	bot := g.sandBot.acct.Address
	before, err := tokenBalance(ctx, g.w.weth, bot)
	if err != nil {
		t.Fatal(err)
	}
	n := len(g.actions)
	predicted, err := g.sandwich(ctx, g.actors[3], 0, 0.04, 0.03)
	if err != nil {
		t.Fatal(err)
	}
	after, err := tokenBalance(ctx, g.w.weth, bot)
	if err != nil {
		t.Fatal(err)
	}
	profit := new(big.Int).Sub(after, before)
	t.Logf("sandwich profit %s wei (predicted %s)", profit, predicted)
	if profit.Sign() <= 0 || profit.Cmp(predicted) != 0 {
		t.Errorf("bot profit %s, predicted %s", profit, predicted)
	}
	idx := map[Kind]uint{}
	var block uint64
	for _, a := range g.actions[n:] {
		r, err := env.Client.Backend().TransactionReceipt(ctx, a.Tx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != 1 {
			t.Errorf("%s reverted", a.Kind)
		}
		if block != 0 && r.BlockNumber.Uint64() != block {
			t.Errorf("%s in block %d, want %d", a.Kind, r.BlockNumber, block)
		}
		block = r.BlockNumber.Uint64()
		idx[a.Kind] = r.TransactionIndex
	}
	if len(idx) != 3 || !(idx[KindSandwichFront] < idx[KindSandwichVictim] && idx[KindSandwichVictim] < idx[KindSandwichBack]) {
		t.Errorf("block order %v, want front < victim < back", idx)
	}
}

func TestCancel(t *testing.T) {
	g, _ := newTestGenerator(t, Config{Seed: 2, Duration: time.Hour, Rate: 50})
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	st, err := g.Run(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run after the deadline returned %v, want context.DeadlineExceeded", err)
	}
	t.Logf("cancelled after %d txs: %v", st.Transactions, err)
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{{}, {Transactions: -1}, {Transactions: 5, Actors: 2}, {Transactions: 5, Mix: Mix{Swap: -1}}} {
		if _, err := cfg.withDefaults(); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
}
