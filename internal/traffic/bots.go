package traffic

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"

	"github.com/aegis-defi/aegis/internal/chain"
)

// minBotProfit is the least predicted profit (in wei of WETH) for which a
// bot trades: a few times the gas of its two transactions.
var minBotProfit = chain.Wei("0.002")

// arbitrage compares the two pools' TKN prices and, when the gap exceeds
// the fees, buys TKN on the cheap pool and sells it on the dear one with the
// optimal size: two router calls from the bot, back to back in one block,
// tipped above benign users so they execute first. It returns the
// predicted profit (zero when it did not trade).
func (g *Generator) arbitrage(ctx context.Context) (*big.Int, error) {
	p0, p1 := g.w.pools[0], g.w.pools[1]
	cheap, dear := p0, p1
	if p0.res.priceBInA() > p1.res.priceBInA() {
		cheap, dear = p1, p0
	}
	x, profit := optimalArb(cheap.res.A, cheap.res.B, dear.res.B, dear.res.A, uniV2Fee)
	if profit.Cmp(minBotProfit) < 0 {
		return new(big.Int), nil
	}
	bal, err := tokenBalance(ctx, g.w.weth, g.arbBot.acct.Address)
	if err != nil {
		return nil, err
	}
	if x.Cmp(bal) > 0 {
		// Inventory-limited: trade what we have if that still pays.
		x = bal
		c, d := cheap.res.clone(), dear.res.clone()
		y := c.swapAForB(x, uniV2Fee)
		profit = d.swapBForA(y, uniV2Fee)
		profit.Sub(profit, x)
		if profit.Cmp(minBotProfit) < 0 {
			return new(big.Int), nil
		}
	}
	y := cheap.res.swapAForB(x, uniV2Fee)
	back := dear.res.swapBForA(y, uniV2Fee)
	if err := g.send(ctx, g.arbBot, KindArbitrage, cheap.router, nil, gasSwap, tipArb, x,
		"swapExactTokensForTokens", x, y, g.path(true), g.arbBot.acct.Address, deadline); err != nil {
		return nil, err
	}
	// The second leg reverts unless it returns more WETH than the first
	// leg spent, so the bot never closes at a loss.
	if err := g.send(ctx, g.arbBot, KindArbitrage, dear.router, nil, gasSwap, tipArb, y,
		"swapExactTokensForTokens", y, back, g.path(false), g.arbBot.acct.Address, deadline); err != nil {
		return nil, err
	}
	g.stats.ArbitrageProfit.Add(g.stats.ArbitrageProfit, profit)
	g.log.Debug("arbitrage", "buy_on", cheap.name, "sell_on", dear.name, "weth_in", x, "profit_wei", profit)
	return profit, nil
}

// doSandwich has a user send a large swap with loose slippage; the sandwich
// bot sees the intended trade, front-runs it with a higher tip and back-runs
// it with a tip between the victim's and the users', all in one block of
// their own. It returns after mining that block.
func (g *Generator) doSandwich(ctx context.Context, r *rand.Rand) error {
	pi := choosePool(r)
	f := minVictimFrac + (maxVictimFrac-minVictimFrac)*r.Float64()
	slip := 0.02 + 0.02*r.Float64()
	if err := g.flush(ctx); err != nil {
		return err
	}
	victim := g.pickActor(r)
	if victim == nil {
		return nil
	}
	_, err := g.sandwich(ctx, victim, pi, f, slip)
	return err
}

// sandwich sends victim's WETH→TKN swap of fraction f of pool pi's WETH
// depth with slippage tolerance slip, lets the bot sandwich it and mines the
// block. It returns the bot's predicted profit (zero if it stood aside).
func (g *Generator) sandwich(ctx context.Context, victim *actor, pi int, f, slip float64) (*big.Int, error) {
	p := g.w.pools[pi]
	bal, err := tokenBalance(ctx, g.w.weth, victim.acct.Address)
	if err != nil {
		return nil, err
	}
	in := minBig(frac(p.res.A, f), frac(bal, 0.9))
	if in.Sign() == 0 {
		return new(big.Int), nil
	}
	before := p.res.clone()
	quoted := amountOut(in, before.A, before.B, uniV2Fee)
	minOut := withSlippage(quoted, slip)
	if err := g.send(ctx, victim, KindSandwichVictim, p.router, nil, gasSwap, tipVictim, in,
		"swapExactTokensForTokens", in, minOut, g.path(true), victim.acct.Address, deadline); err != nil {
		return nil, err
	}
	botBal, err := tokenBalance(ctx, g.w.weth, g.sandBot.acct.Address)
	if err != nil {
		return nil, err
	}
	front, profit := sandwichFrontRun(before, in, minOut, minBig(botBal, frac(before.A, 0.25)), uniV2Fee)
	if profit.Cmp(minBotProfit) < 0 {
		p.res.swapAForB(in, uniV2Fee)
		return new(big.Int), g.flush(ctx)
	}
	got := p.res.swapAForB(front, uniV2Fee)
	p.res.swapAForB(in, uniV2Fee)
	back := p.res.swapBForA(got, uniV2Fee)
	if err := g.send(ctx, g.sandBot, KindSandwichFront, p.router, nil, gasSwap, tipFrontRun, front,
		"swapExactTokensForTokens", front, got, g.path(true), g.sandBot.acct.Address, deadline); err != nil {
		return nil, err
	}
	if err := g.send(ctx, g.sandBot, KindSandwichBack, p.router, nil, gasSwap, tipBackRun, got,
		"swapExactTokensForTokens", got, back, g.path(false), g.sandBot.acct.Address, deadline); err != nil {
		return nil, err
	}
	g.stats.SandwichProfit.Add(g.stats.SandwichProfit, profit)
	g.log.Debug("sandwich", "pool", p.name, "victim", victim.name, "victim_in", in, "front", front, "profit_wei", profit)
	if err := g.flush(ctx); err != nil {
		return nil, fmt.Errorf("sandwich block: %w", err)
	}
	return profit, nil
}
