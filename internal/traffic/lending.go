package traffic

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
)

// lending is the testbed's lending market (WETH borrowable against TKN) as
// the generator drives it, with the AMM pool its oracle prices from.
type lending struct {
	market     *chain.Contract
	oraclePool int
	// debt and coll track each account's borrowed principal and deposited
	// collateral as the generator sent them, so that amounts derived from
	// them do not depend on interest accrued per wall-clock second.
	debt map[common.Address]*big.Int
	coll map[common.Address]*big.Int
}

func (l *lending) add(m map[common.Address]*big.Int, a common.Address, v *big.Int) {
	cur := m[a]
	if cur == nil {
		cur = new(big.Int)
	}
	cur = new(big.Int).Add(cur, v)
	if cur.Sign() < 0 {
		cur.SetInt64(0)
	}
	m[a] = cur
}

func (l *lending) get(m map[common.Address]*big.Int, a common.Address) *big.Int {
	if v := m[a]; v != nil {
		return new(big.Int).Set(v)
	}
	return new(big.Int)
}

// quantum rounds amounts derived from balances that interest may have
// touched (by a few gwei) to 0.001 token, keeping runs reproducible.
var quantum = big.NewInt(1e15)

func q(v *big.Int) *big.Int {
	out := new(big.Int).Quo(v, quantum)
	return out.Mul(out, quantum)
}

// tknValue is the WETH value of tkn at pool pi's predicted spot price.
func (g *Generator) tknValue(pi int, tkn *big.Int) *big.Int {
	p := g.w.pools[pi]
	v := new(big.Int).Mul(tkn, p.res.A)
	return v.Quo(v, p.res.B)
}

func (g *Generator) setupLendingApprovals(ctx context.Context, a *actor) error {
	if g.w.lending == nil {
		return nil
	}
	for _, tok := range []*chain.Contract{g.w.weth, g.w.tkn} {
		if err := g.send(ctx, a, KindSetup, tok, nil, gasToken, tipUser, maxUint256, "approve", g.w.lending.market.Address, maxUint256); err != nil {
			return err
		}
	}
	return nil
}

// setupLending has every other actor supply WETH so the market has cash.
func (g *Generator) setupLending(ctx context.Context) error {
	if g.w.lending == nil {
		return nil
	}
	for i, a := range g.actors {
		if i%2 != 0 {
			continue
		}
		bal, err := tokenBalance(ctx, g.w.weth, a.acct.Address)
		if err != nil {
			return err
		}
		amt := q(frac(bal, 0.25))
		if err := g.send(ctx, a, KindSetup, g.w.lending.market, nil, gasLending, tipUser, amt, "supply", amt); err != nil {
			return err
		}
	}
	if err := g.flush(ctx); err != nil {
		return fmt.Errorf("lending setup: %w", err)
	}
	return nil
}

// doLend supplies WETH (45%), deposits TKN collateral (25%) or redeems
// supply or withdraws collateral (35%).
func (g *Generator) doLend(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	choice := r.Float64()
	f := math.Min(logNormal(r, math.Log(0.08), 0.8), 0.5)
	redeemFirst := r.IntN(2) == 0
	l := g.w.lending
	if a == nil || l == nil {
		if a == nil {
			return nil
		}
		return g.doSwap(ctx, r)
	}
	addr := a.acct.Address
	switch {
	case choice < 0.4:
		bal, err := tokenBalance(ctx, g.w.weth, addr)
		if err != nil {
			return err
		}
		amt := q(frac(bal, f))
		if amt.Sign() == 0 {
			return nil
		}
		return g.send(ctx, a, KindSupply, l.market, nil, gasLending, tipUser, amt, "supply", amt)
	case choice < 0.65:
		return g.depositCollateral(ctx, a, f)
	default:
		shares, err := l.market.CallBig(ctx, "sharesOf", addr)
		if err != nil {
			return fmt.Errorf("sharesOf: %w", err)
		}
		redeem := q(frac(shares, 2*f))
		if redeemFirst && redeem.Sign() > 0 {
			return g.send(ctx, a, KindRedeem, l.market, nil, gasLending, tipUser, redeem, "redeem", redeem)
		}
		// Withdraw collateral only while keeping a health factor near 2.
		coll := l.get(l.coll, addr)
		free := coll
		if debt := l.get(l.debt, addr); debt.Sign() > 0 {
			need := new(big.Int).Mul(debt, big.NewInt(3))
			need.Mul(need, g.w.pools[l.oraclePool].res.B)
			need.Quo(need, g.w.pools[l.oraclePool].res.A)
			free.Sub(coll, need)
		}
		amt := q(frac(free, 2*f))
		switch {
		case amt.Sign() > 0:
			l.add(l.coll, addr, new(big.Int).Neg(amt))
			return g.send(ctx, a, KindWithdraw, l.market, nil, gasLending, tipUser, amt, "withdraw", amt)
		case redeem.Sign() > 0:
			return g.send(ctx, a, KindRedeem, l.market, nil, gasLending, tipUser, redeem, "redeem", redeem)
		}
		return g.depositCollateral(ctx, a, f)
	}
}

func (g *Generator) depositCollateral(ctx context.Context, a *actor, f float64) error {
	l := g.w.lending
	bal, err := tokenBalance(ctx, g.w.tkn, a.acct.Address)
	if err != nil {
		return err
	}
	amt := q(frac(bal, 2*f))
	if amt.Sign() == 0 {
		return nil
	}
	l.add(l.coll, a.acct.Address, amt)
	return g.send(ctx, a, KindDeposit, l.market, nil, gasLending, tipUser, amt, "deposit", amt)
}

// doBorrow borrows WETH keeping the position's debt under 40% of its
// collateral's spot value (health factor ≥ 2); actors without collateral
// deposit some first.
func (g *Generator) doBorrow(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	f := 0.1 + 0.8*r.Float64()
	l := g.w.lending
	if a == nil {
		return nil
	}
	if l == nil {
		return g.doSwap(ctx, r)
	}
	addr := a.acct.Address
	room := frac(g.tknValue(l.oraclePool, l.get(l.coll, addr)), 0.4)
	room.Sub(room, l.get(l.debt, addr))
	amt := q(frac(room, f))
	cash, err := tokenBalance(ctx, g.w.weth, l.market.Address)
	if err != nil {
		return err
	}
	amt = q(minBig(amt, frac(cash, 0.2)))
	if amt.Sign() <= 0 {
		return g.depositCollateral(ctx, a, 0.15)
	}
	l.add(l.debt, addr, amt)
	return g.send(ctx, a, KindBorrow, l.market, nil, gasLending, tipUser, amt, "borrow", amt)
}

// doRepay repays part of a borrower's debt (never all of it: the exact debt
// depends on wall-clock interest).
func (g *Generator) doRepay(ctx context.Context, r *rand.Rand) error {
	a := g.pickActor(r)
	f := 0.2 + 0.75*r.Float64()
	l := g.w.lending
	if a == nil {
		return nil
	}
	if l == nil {
		return g.doSwap(ctx, r)
	}
	addr := a.acct.Address
	debt := l.get(l.debt, addr)
	if debt.Sign() == 0 {
		return g.doBorrow(ctx, r)
	}
	bal, err := tokenBalance(ctx, g.w.weth, addr)
	if err != nil {
		return err
	}
	amt := q(minBig(frac(debt, f), frac(bal, 0.9)))
	if amt.Sign() == 0 {
		return nil
	}
	l.add(l.debt, addr, new(big.Int).Neg(amt))
	return g.send(ctx, a, KindRepay, l.market, nil, gasLending, tipUser, amt, "repay", addr, amt)
}
