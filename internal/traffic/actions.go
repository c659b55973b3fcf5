package traffic

import (
	"context"
	"math"
	"math/big"
	"math/rand/v2"

	"github.com/ethereum/go-ethereum/common"
)

// Swap sizing: ordinary swaps are at most 1% of the input-side reserve,
// whales (3% of swaps) at most 4%; sandwich victims trade 2–5%.
const (
	whaleProb     = 0.03
	maxSwapFrac   = 0.01
	maxWhaleFrac  = 0.04
	minVictimFrac = 0.02
	maxVictimFrac = 0.05
)

// doStep draws one action and sends its transactions. left is the number of
// transactions still allowed (-1: unlimited).
func (g *Generator) doStep(ctx context.Context, left int) error {
	r := g.stepRand(g.step)
	m := g.cfg.Mix
	weights := m.weights()
	if left >= 0 && left < 3 {
		weights[8] = 0 // a sandwich needs three transactions
	}
	if left >= 0 && left < 4 {
		weights[9] = 0
	}
	switch pick(r, weights) {
	case 0:
		return g.doSwap(ctx, r)
	case 1:
		return g.doAddLiquidity(ctx, r)
	case 2:
		return g.doRemoveLiquidity(ctx, r)
	case 3:
		return g.doLend(ctx, r)
	case 4:
		return g.doBorrow(ctx, r)
	case 5:
		return g.doRepay(ctx, r)
	case 6:
		return g.doTransfer(ctx, r)
	case 7:
		return g.doWrap(ctx, r)
	case 8:
		return g.doSandwich(ctx, r)
	case 9:
		return g.doLiquidation(ctx, r)
	}
	return nil
}

// choosePool draws an AMM; the first is the busier venue.
func choosePool(r *rand.Rand) int {
	if r.Float64() < 0.6 {
		return 0
	}
	return 1
}

func (g *Generator) path(buy bool) []common.Address {
	if buy {
		return []common.Address{g.w.weth.Address, g.w.tkn.Address}
	}
	return []common.Address{g.w.tkn.Address, g.w.weth.Address}
}

// withSlippage returns ⌊v·(1−s)⌋.
func withSlippage(v *big.Int, s float64) *big.Int { return frac(v, 1-s) }

// doSwap swaps WETH (or ETH) for TKN or back on one AMM, sized as a
// heavy-tailed fraction of the pool's depth.
func (g *Generator) doSwap(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	pi := choosePool(r)
	buy := r.IntN(2) == 0
	native := r.Float64() < 0.3
	f, _ := swapFraction(r, whaleProb, maxSwapFrac, maxWhaleFrac)
	slip := 0.003 + 0.012*r.Float64()
	if a == nil {
		return nil
	}
	return g.swap(ctx, a, KindSwap, pi, buy, native, f, slip, tipUser)
}

// swap sends one router swap of fraction f of the input-side reserve
// (capped by the actor's balance); when the actor lacks the input asset it
// trades the other way.
func (g *Generator) swap(ctx context.Context, a *actor, kind Kind, pi int, buy, native bool, f, slip float64, tip *big.Int) error {
	p := g.w.pools[pi]
	for range 2 {
		var bal *big.Int
		var err error
		switch {
		case buy && native:
			bal, err = g.ethBalance(ctx, a.acct.Address)
			if bal != nil {
				bal = spendableETH(bal)
			}
		case buy:
			bal, err = tokenBalance(ctx, g.w.weth, a.acct.Address)
		default:
			bal, err = tokenBalance(ctx, g.w.tkn, a.acct.Address)
		}
		if err != nil {
			return err
		}
		depth := p.res.B
		if buy {
			depth = p.res.A
		}
		in := minBig(frac(depth, f), frac(bal, 0.8))
		if in.Sign() == 0 {
			buy = !buy
			continue
		}
		var out *big.Int
		if buy {
			out = p.res.swapAForB(in, uniV2Fee)
		} else {
			out = p.res.swapBForA(in, uniV2Fee)
		}
		minOut := withSlippage(out, slip)
		switch {
		case buy && native:
			return g.send(ctx, a, kind, p.router, in, gasSwap, tip, in, "swapExactETHForTokens",
				minOut, g.path(true), a.acct.Address, deadline)
		case !buy && native:
			return g.send(ctx, a, kind, p.router, nil, gasSwap, tip, in, "swapExactTokensForETH",
				in, minOut, g.path(false), a.acct.Address, deadline)
		default:
			return g.send(ctx, a, kind, p.router, nil, gasSwap, tip, in, "swapExactTokensForTokens",
				in, minOut, g.path(buy), a.acct.Address, deadline)
		}
	}
	return nil
}

// doAddLiquidity deposits a slice of the actor's WETH and the matching TKN.
func (g *Generator) doAddLiquidity(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	p := g.w.pools[choosePool(r)]
	f := math.Min(logNormal(r, math.Log(0.1), 0.7), 0.6)
	if a == nil {
		return nil
	}
	wb, err := tokenBalance(ctx, g.w.weth, a.acct.Address)
	if err != nil {
		return err
	}
	tb, err := tokenBalance(ctx, g.w.tkn, a.acct.Address)
	if err != nil {
		return err
	}
	// The WETH side is limited by the TKN the actor holds at pool price.
	tkInWeth := new(big.Int).Mul(tb, p.res.A)
	tkInWeth.Quo(tkInWeth, p.res.B)
	amtA := frac(minBig(wb, tkInWeth), f)
	amtB := new(big.Int).Mul(amtA, p.res.B)
	amtB.Quo(amtB, p.res.A)
	if amtA.Sign() == 0 || amtB.Sign() == 0 {
		return g.swap(ctx, a, KindSwap, 0, tb.Sign() == 0, false, 0.002, 0.01, tipUser)
	}
	desiredB := minBig(frac(amtB, 1.005), tb)
	liq := new(big.Int).Mul(amtA, p.supply)
	liq.Quo(liq, p.res.A)
	p.res.A = new(big.Int).Add(p.res.A, amtA)
	p.res.B = new(big.Int).Add(p.res.B, amtB)
	p.supply = new(big.Int).Add(p.supply, liq)
	return g.send(ctx, a, KindAddLiquidity, p.router, nil, gasLiquidity, tipUser, amtA, "addLiquidity",
		g.w.weth.Address, g.w.tkn.Address, amtA, desiredB, frac(amtA, 0.99), frac(amtB, 0.99), a.acct.Address, deadline)
}

// doRemoveLiquidity burns part of the actor's LP tokens; actors without LP
// tokens add liquidity instead.
func (g *Generator) doRemoveLiquidity(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	pi := choosePool(r)
	f := math.Min(0.2+0.8*r.Float64(), 1)
	if a == nil {
		return nil
	}
	for k := range 2 {
		p := g.w.pools[(pi+k)%2]
		lp, err := tokenBalance(ctx, p.pair, a.acct.Address)
		if err != nil {
			return err
		}
		burn := frac(lp, f)
		if burn.Sign() == 0 || p.supply.Sign() == 0 {
			continue
		}
		outA := new(big.Int).Mul(burn, p.res.A)
		outA.Quo(outA, p.supply)
		outB := new(big.Int).Mul(burn, p.res.B)
		outB.Quo(outB, p.supply)
		p.res.A = new(big.Int).Sub(p.res.A, outA)
		p.res.B = new(big.Int).Sub(p.res.B, outB)
		p.supply = new(big.Int).Sub(p.supply, burn)
		return g.send(ctx, a, KindRemoveLiquidity, p.router, nil, gasLiquidity, tipUser, burn, "removeLiquidity",
			g.w.weth.Address, g.w.tkn.Address, burn, frac(outA, 0.99), frac(outB, 0.99), a.acct.Address, deadline)
	}
	return g.doAddLiquidity(ctx, r)
}

// doTransfer sends ETH, WETH or TKN to another actor.
func (g *Generator) doTransfer(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	to := g.actors[r.IntN(len(g.actors))]
	what := r.IntN(3)
	ethAmt := etherF(math.Min(logNormal(r, math.Log(0.3), 1.3), 50))
	f := math.Min(logNormal(r, math.Log(0.03), 1.0), 0.5)
	if a == nil {
		return nil
	}
	if to == a {
		to = g.actors[(indexOf(g.actors, a)+1)%len(g.actors)]
	}
	switch what {
	case 0:
		bal, err := g.ethBalance(ctx, a.acct.Address)
		if err != nil {
			return err
		}
		amt := minBig(ethAmt, frac(spendableETH(bal), 0.05))
		if amt.Sign() == 0 {
			return nil
		}
		dst := to.acct.Address
		return g.sendRaw(ctx, a, KindTransferETH, &dst, amt, nil, gasTransfer, tipUser, amt, "")
	default:
		tok := g.w.weth
		if what == 2 {
			tok = g.w.tkn
		}
		bal, err := tokenBalance(ctx, tok, a.acct.Address)
		if err != nil {
			return err
		}
		amt := frac(bal, f)
		if amt.Sign() == 0 {
			return nil
		}
		return g.send(ctx, a, KindTransferToken, tok, nil, gasToken, tipUser, amt, "transfer", to.acct.Address, amt)
	}
}

// doWrap wraps ETH into WETH (60%) or unwraps part of the WETH balance.
func (g *Generator) doWrap(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	wrap := r.Float64() < 0.6
	ethAmt := etherF(math.Min(logNormal(r, math.Log(1), 1.0), 40))
	f := math.Min(logNormal(r, math.Log(0.1), 0.8), 0.9)
	if a == nil {
		return nil
	}
	if wrap {
		bal, err := g.ethBalance(ctx, a.acct.Address)
		if err != nil {
			return err
		}
		amt := minBig(ethAmt, frac(spendableETH(bal), 0.2))
		if amt.Sign() > 0 {
			return g.send(ctx, a, KindWrap, g.w.weth, amt, gasToken, tipUser, amt, "deposit")
		}
	}
	bal, err := tokenBalance(ctx, g.w.weth, a.acct.Address)
	if err != nil {
		return err
	}
	amt := frac(bal, f)
	if amt.Sign() == 0 {
		return nil
	}
	return g.send(ctx, a, KindUnwrap, g.w.weth, nil, gasToken, tipUser, amt, "withdraw", amt)
}

func indexOf(as []*actor, a *actor) int {
	for i, x := range as {
		if x == a {
			return i
		}
	}
	return -1
}
