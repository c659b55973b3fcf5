package traffic

import (
	"math/big"
	"testing"

	"github.com/aegis-defi/aegis/internal/chain"
)

func TestOptimalArbIsOptimal(t *testing.T) {
	x1, y1 := chain.Ether(1000), chain.Ether(100_000)
	y2, x2 := chain.Ether(49_000), chain.Ether(500)
	x, profit := optimalArb(x1, y1, y2, x2, uniV2Fee)
	if profit.Sign() <= 0 {
		t.Fatalf("no profit found for a 2%% gap")
	}
	at := func(in *big.Int) *big.Int {
		y := amountOut(in, x1, y1, uniV2Fee)
		out := amountOut(y, y2, x2, uniV2Fee)
		return out.Sub(out, in)
	}
	for _, f := range []float64{0.9, 0.99, 1.01, 1.1} {
		if p := at(frac(x, f)); p.Cmp(profit) > 0 {
			t.Errorf("input %.2f·x earns %s > %s", f, p, profit)
		}
	}
	if _, p := optimalArb(x1, y1, y1, x1, uniV2Fee); p.Sign() != 0 {
		t.Errorf("equal pools: profit %s", p)
	}
}

func TestSandwichFrontRunRespectsVictimSlippage(t *testing.T) {
	r := reserves{A: chain.Ether(1000), B: chain.Ether(100_000)}
	in := chain.Ether(40)
	minOut := frac(amountOut(in, r.A, r.B, uniV2Fee), 0.97)
	front, profit := sandwichFrontRun(r, in, minOut, chain.Ether(500), uniV2Fee)
	if front.Sign() <= 0 || profit.Sign() <= 0 {
		t.Fatalf("front %s profit %s", front, profit)
	}
	c := r.clone()
	c.swapAForB(front, uniV2Fee)
	if got := c.swapAForB(in, uniV2Fee); got.Cmp(minOut) < 0 {
		t.Errorf("victim gets %s < min %s", got, minOut)
	}
	c = r.clone()
	c.swapAForB(new(big.Int).Add(front, chain.Ether(1)), uniV2Fee)
	if got := c.swapAForB(in, uniV2Fee); got.Cmp(minOut) >= 0 {
		t.Errorf("front-run %s is not the largest the victim tolerates", front)
	}
}
