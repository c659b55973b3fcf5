package attack

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// SelfLiquidation re-creates Euler Finance (Mar 2023): donateToReserves
// without a health check lets a leveraged borrower push itself underwater
// and liquidate itself from a second account at the maximum discount.
//
// Setup deploys USDx and SelfLiqLendingPool (Euler-style eToken/dToken
// accounting in one contract: deposit, 19x leveraged mint, 95% collateral
// factor, soft liquidation with a discount of 1 - health up to 20%) with
// 1,000,000 USDx of honest deposits. The attacker's contract holds 100,000
// USDx and has deployed its violator. The exploit is one transaction: the
// violator deposits 100,000, mints 1,900,000, donates 400,000 to reserves
// (health 0.8); the attacker contract liquidates it (repay 1,280,000 for
// 1,600,000 of collateral) and withdraws every unit its health allows.
//
// Vulnerable: donateToReserves has no health check. Safe: it has one and
// the donation reverts the transaction.
//
// Units: USDx. ProtocolLoss is the pool's USDx decrease.
type SelfLiquidation struct{}

// Info implements Scenario.
func (SelfLiquidation) Info() Info {
	return Info{
		Name:     "self-liquidation",
		Class:    "bad-debt self-liquidation (donation without health check)",
		Incident: "Euler Finance Mar 2023 (donateToReserves)",
		Summary: "A 19x leveraged account donates part of its collateral to the reserves, becoming insolvent, and the " +
			"attacker's second account liquidates it at the 20% maximum discount and withdraws the surplus.",
	}
}

// Setup implements Scenario.
func (SelfLiquidation) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "self-liquidation"
	if err := prepare(name, env, v, 2); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	usd, err := deployUSDx(ctx, c, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	pool, err := deployNamed(ctx, c, d, "SelfLiqLendingPool", usd.Address, env.Guardian.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, u := range env.Users[:2] {
		if err := giveTokens(ctx, usd, d, tokens(500_000), u.Address); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := approveAndCall(ctx, usd, pool, u, tokens(500_000), "deposit", tokens(500_000)); err != nil {
			return nil, fmt.Errorf("%s: honest depositor: %w", name, err)
		}
	}
	atk, err := deployNamed(ctx, c, env.Attacker, "SelfLiqAttacker", pool.Address, usd.Address)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, usd, d, tokens(100_000), atk.Address); err != nil {
		return nil, fmt.Errorf("%s: attacker capital: %w", name, err)
	}
	violator, err := atk.CallAddress(ctx, "violator")
	if err != nil {
		return nil, fmt.Errorf("%s: violator address: %w", name, err)
	}
	s := &incidentStaged{
		client:      c,
		targets:     []Target{{Name: "SelfLiqLendingPool", Address: pool.Address, Pausable: true}},
		book:        &ledger{client: c, unit: "USDx", assets: []pricedAsset{{symbol: "USDx", token: usd, price: unitOne()}}},
		attackerEOA: env.Attacker.Address,
		attackers:   []common.Address{env.Attacker.Address, atk.Address, violator},
		victims:     []common.Address{pool.Address},
	}
	s.build = func(ctx context.Context) ([]*types.Transaction, error) {
		tx, err := buildCall(ctx, c, env.Attacker, atk, nil, "attack", tokens(400_000))
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
