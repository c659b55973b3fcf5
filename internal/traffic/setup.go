package traffic

import (
	"context"
	"fmt"
	"math/big"

	"github.com/aegis-defi/aegis/internal/chain"
)

// maxUint256 is the unlimited ERC-20 allowance.
// setupBlockTxs bounds the transactions per setup block.
const setupBlockTxs = 40

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// setup funds every account from the funder, wraps part of each actor's ETH,
// grants the routers (and the lending market) allowances, buys each actor
// a TKN inventory on alternating pools and lets the lending setup run. All
// of it is reported as KindSetup, outside Stats.Transactions.
func (g *Generator) setup(ctx context.Context) error {
	if err := g.refresh(ctx); err != nil {
		return err
	}
	fund := g.cfg.ActorFunding
	botFund := new(big.Int).Mul(fund, big.NewInt(10))
	funder := &actor{name: "funder", acct: g.funder}
	type grant struct {
		a   *actor
		eth *big.Int
	}
	var grants []grant
	for _, a := range g.actors {
		grants = append(grants, grant{a, fund})
	}
	grants = append(grants, grant{g.arbBot, botFund}, grant{g.sandBot, botFund},
		grant{g.liquidator, botFund}, grant{g.risky, fund}, grant{g.whale, botFund})
	for _, gr := range grants {
		dst := gr.a.acct.Address
		if err := g.sendRaw(ctx, funder, KindSetup, &dst, gr.eth, nil, gasTransfer, tipUser, gr.eth, ""); err != nil {
			return err
		}
	}
	if err := g.flush(ctx); err != nil {
		return fmt.Errorf("fund actors: %w", err)
	}
	if g.stats.Failed > 0 {
		return fmt.Errorf("funder %s could not fund the actors (%d transfers refused)", g.funder.Address, g.stats.Failed)
	}

	approve := func(a *actor, tok *chain.Contract, spender *chain.Contract) error {
		return g.send(ctx, a, KindSetup, tok, nil, gasToken, tipUser, maxUint256, "approve", spender.Address, maxUint256)
	}
	// Setup blocks stay small so that each is sealed whole and the
	// predicted pool state holds.
	maybeFlush := func() error {
		if len(g.pending) < setupBlockTxs {
			return nil
		}
		return g.flush(ctx)
	}
	wrap := func(a *actor, amt *big.Int) error {
		return g.send(ctx, a, KindSetup, g.w.weth, amt, gasToken, tipUser, amt, "deposit")
	}
	everyone := append(append([]*actor{}, g.actors...), g.arbBot, g.sandBot, g.liquidator, g.risky, g.whale)
	for _, a := range everyone {
		for _, p := range g.w.pools {
			if err := approve(a, g.w.weth, p.router); err != nil {
				return err
			}
			if err := approve(a, g.w.tkn, p.router); err != nil {
				return err
			}
			if err := approve(a, p.pair, p.router); err != nil {
				return err
			}
		}
		if err := g.setupLendingApprovals(ctx, a); err != nil {
			return err
		}
		if err := maybeFlush(); err != nil {
			return err
		}
	}
	for _, a := range g.actors {
		if err := wrap(a, frac(fund, 0.4)); err != nil {
			return err
		}
		if err := maybeFlush(); err != nil {
			return err
		}
	}
	for _, b := range []*actor{g.arbBot, g.sandBot, g.liquidator, g.whale} {
		if err := wrap(b, frac(botFund, 0.8)); err != nil {
			return err
		}
	}
	if err := wrap(g.risky, frac(fund, 0.5)); err != nil {
		return err
	}
	if err := g.flush(ctx); err != nil {
		return err
	}
	// Each actor buys TKN with a tenth of its ETH, alternating pools so the
	// two prices move alike; the risky borrower buys collateral and the
	// whale an inventory on both pools.
	type buy struct {
		a    *actor
		pool int
		in   *big.Int
	}
	var buys []buy
	for i, a := range g.actors {
		p := g.w.pools[i%2]
		buys = append(buys, buy{a, i % 2, q(minBig(frac(fund, 0.1), frac(p.res.A, 0.004)))})
	}
	buys = append(buys, buy{g.risky, 0, q(minBig(frac(fund, 0.3), frac(g.w.pools[0].res.A, 0.01)))},
		buy{g.whale, 0, q(frac(g.w.pools[0].res.A, 0.04))}, buy{g.whale, 1, q(frac(g.w.pools[1].res.A, 0.04))})
	for _, b := range buys {
		a, p, in := b.a, g.w.pools[b.pool], b.in
		out := p.res.swapAForB(in, uniV2Fee)
		if err := g.send(ctx, a, KindSetup, p.router, nil, gasSwap, tipUser, in, "swapExactTokensForTokens",
			in, withSlippage(out, 0.01), g.path(true), a.acct.Address, deadline); err != nil {
			return err
		}
	}
	if err := g.flush(ctx); err != nil {
		return fmt.Errorf("actor setup: %w", err)
	}
	if err := g.setupLending(ctx); err != nil {
		return err
	}
	for _, act := range g.actions {
		if act.Reverted {
			return fmt.Errorf("setup tx %s (%s %s) reverted", act.Tx, act.Actor, act.Method)
		}
	}
	return nil
}
