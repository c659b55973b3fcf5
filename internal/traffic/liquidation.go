package traffic

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"

	"github.com/ethereum/go-ethereum/params"
)

var (
	wad = big.NewInt(1e18)
	// tipLiquidator outbids the arbitrageur: liquidators race for the block
	// right after a price move.
	tipLiquidator = big.NewInt(6 * params.GWei)
	// reLeverHF is the health factor above which the risky borrower borrows
	// back up to its limit.
	reLeverHF = new(big.Int).Div(new(big.Int).Mul(wad, big.NewInt(115)), big.NewInt(100))
)

// doLiquidation drives the deliberately risky borrower through its cycle:
// it borrows to just under its limit (health factor ≈ 1.08); later a whale
// sells TKN on the oracle's pool, moving the price enough to make the
// position liquidatable, and the liquidator repays half its debt for the
// collateral bonus in the next block.
func (g *Generator) doLiquidation(ctx context.Context, r *rand.Rand) error {
	l := g.w.lending
	if l == nil {
		return g.doSwap(ctx, r)
	}
	if err := g.flush(ctx); err != nil {
		return err
	}
	addr := g.risky.acct.Address
	hf, err := l.market.CallBig(ctx, "healthFactor", addr)
	if err != nil {
		return fmt.Errorf("risky health factor: %w", err)
	}
	debt, err := l.market.CallBig(ctx, "borrowBalance", addr)
	if err != nil {
		return fmt.Errorf("risky borrow balance: %w", err)
	}
	switch {
	case debt.Sign() == 0 || hf.Cmp(reLeverHF) > 0:
		return g.leverUp(ctx, debt)
	case hf.Cmp(wad) < 0:
		return g.liquidate(ctx, debt)
	}
	// A whale sell-off on the oracle's pool, sized so the spot price falls
	// by the factor that takes the health factor to ~0.97.
	p := g.w.pools[l.oraclePool]
	target := new(big.Rat).SetFrac(new(big.Int).Mul(wad, big.NewInt(97)), new(big.Int).Mul(hf, big.NewInt(100)))
	sell := sellForPriceRatio(p.res, target, frac(p.res.B, 0.07))
	bal, err := tokenBalance(ctx, g.w.tkn, g.whale.acct.Address)
	if err != nil {
		return err
	}
	sell = q(minBig(sell, bal))
	if sell.Sign() == 0 {
		return g.doSwap(ctx, r)
	}
	out := p.res.swapBForA(sell, uniV2Fee)
	if err := g.send(ctx, g.whale, KindSwap, p.router, nil, gasSwap, tipUser, sell, "swapExactTokensForTokens",
		sell, withSlippage(out, 0.01), g.path(false), g.whale.acct.Address, deadline); err != nil {
		return err
	}
	if err := g.flush(ctx); err != nil {
		return err
	}
	hf, err = l.market.CallBig(ctx, "healthFactor", addr)
	if err != nil {
		return fmt.Errorf("risky health factor: %w", err)
	}
	if hf.Cmp(wad) >= 0 {
		return nil
	}
	debt, err = l.market.CallBig(ctx, "borrowBalance", addr)
	if err != nil {
		return fmt.Errorf("risky borrow balance: %w", err)
	}
	return g.liquidate(ctx, debt)
}

// leverUp has the risky borrower deposit its TKN as collateral (first time)
// and borrow up to 98.5% of its borrow limit at the oracle pool's price.
func (g *Generator) leverUp(ctx context.Context, debt *big.Int) error {
	l := g.w.lending
	addr := g.risky.acct.Address
	coll, err := l.market.CallBig(ctx, "collateralOf", addr)
	if err != nil {
		return fmt.Errorf("risky collateral: %w", err)
	}
	if err := g.refillWhale(ctx); err != nil {
		return err
	}
	if coll.Sign() == 0 {
		bal, err := tokenBalance(ctx, g.w.tkn, addr)
		if err != nil {
			return err
		}
		dep := q(frac(bal, 0.95))
		if dep.Sign() == 0 {
			return nil
		}
		if err := g.send(ctx, g.risky, KindDeposit, l.market, nil, gasLending, tipUser, dep, "deposit", dep); err != nil {
			return err
		}
		coll = dep
	}
	limit := frac(g.tknValue(l.oraclePool, coll), 0.75*0.995)
	amt := q(limit.Sub(limit, debt))
	cash, err := tokenBalance(ctx, g.w.weth, l.market.Address)
	if err != nil {
		return err
	}
	amt = q(minBig(amt, frac(cash, 0.5)))
	if amt.Sign() <= 0 {
		return nil
	}
	if err := g.send(ctx, g.risky, KindBorrow, l.market, nil, gasLending, tipUser, amt, "borrow", amt); err != nil {
		return err
	}
	return g.flush(ctx)
}

// liquidate repays just under the close factor of the risky debt.
func (g *Generator) liquidate(ctx context.Context, debt *big.Int) error {
	l := g.w.lending
	amt := q(frac(debt, 0.49))
	if amt.Sign() == 0 {
		return nil
	}
	if err := g.send(ctx, g.liquidator, KindLiquidate, l.market, nil, gasLending, tipLiquidator, amt,
		"liquidate", g.risky.acct.Address, amt); err != nil {
		return err
	}
	return g.flush(ctx)
}

// refillWhale has the whale buy TKN on the pool the oracle does not read
// when its inventory no longer covers a sell-off.
func (g *Generator) refillWhale(ctx context.Context) error {
	l := g.w.lending
	bal, err := tokenBalance(ctx, g.w.tkn, g.whale.acct.Address)
	if err != nil {
		return err
	}
	if bal.Cmp(frac(g.w.pools[l.oraclePool].res.B, 0.06)) >= 0 {
		return nil
	}
	p := g.w.pools[1-l.oraclePool]
	in := q(frac(p.res.A, 0.03))
	out := p.res.swapAForB(in, uniV2Fee)
	return g.send(ctx, g.whale, KindSwap, p.router, nil, gasSwap, tipUser, in, "swapExactTokensForTokens",
		in, withSlippage(out, 0.01), g.path(true), g.whale.acct.Address, deadline)
}

// sellForPriceRatio returns the smallest TKN sale (at most limit) after
// which the pool's TKN price is at most ratio times the current one.
func sellForPriceRatio(r reserves, ratio *big.Rat, limit *big.Int) *big.Int {
	p0 := new(big.Rat).SetFrac(r.A, r.B)
	ok := func(s *big.Int) bool {
		c := r.clone()
		c.swapBForA(s, uniV2Fee)
		p1 := new(big.Rat).SetFrac(c.A, c.B)
		return p1.Cmp(new(big.Rat).Mul(p0, ratio)) <= 0
	}
	if !ok(limit) {
		return new(big.Int).Set(limit)
	}
	lo, hi := new(big.Int), new(big.Int).Set(limit)
	for new(big.Int).Sub(hi, lo).Cmp(quantum) > 0 {
		mid := new(big.Int).Add(lo, hi)
		mid.Rsh(mid, 1)
		if ok(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return new(big.Int).Add(hi, quantum)
}
