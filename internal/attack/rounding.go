package attack

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// EmptyMarketRounding re-creates the empty-market donation and rounding
// exploit of Compound forks (Hundred Finance, Apr 2023; Sonne Finance, May
// 2024).
//
// Setup deploys USDx, WBTCx and RoundingEmptyMarket (a WBTCx collateral
// market with cToken-style shares, a USDx borrow pool, WBTCx at 30,000 USDx
// from an owner-set feed, 75% collateral factor) with an EMPTY collateral
// market and 500,000 USDx from honest lenders. The attacker holds 50 WBTCx
// in its contract. The exploit is one transaction: mint 2 wei of shares,
// donate the rest (each share is now worth ~25 WBTCx), borrow all the USDx,
// then redeemUnderlying(cash - 1): the vulnerable market burns
// floor(2(D+1)/(D+2)) = 1 share and checks liquidity with the other share
// still worth half the old cash, so the donation comes back too.
//
// Vulnerable: shares burned round down. Safe: they round up (2 shares) and
// the liquidity check fails; the transaction reverts.
//
// Units: USDx; WBTCx at 30,000 USDx. ProtocolLoss is the market's value
// decrease (USDx and WBTCx it holds).
type EmptyMarketRounding struct{}

// Info implements Scenario.
func (EmptyMarketRounding) Info() Info {
	return Info{
		Name:     "empty-market-rounding",
		Class:    "donation + rounding in an empty lending market",
		Incident: "Hundred Finance Apr 2023 / Sonne Finance May 2024",
		Summary: "In an empty collateral market the attacker mints 2 wei of shares, donates to make each share worth " +
			"half the cash, borrows all the USDx, then redeems the donation back because the shares burned round down.",
	}
}

// Setup implements Scenario.
func (EmptyMarketRounding) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "empty-market-rounding"
	if err := prepare(name, env, v, 2); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	usd, err := deployUSDx(ctx, c, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	wbtc, err := deployToken(ctx, c, d, "Wrapped BTC X", "WBTCx", tokens(21_000))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	price := tokens(30_000)
	market, err := deployNamed(ctx, c, d, "RoundingEmptyMarket", wbtc.Address, usd.Address, price, env.Guardian.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, u := range env.Users[:2] {
		if err := giveTokens(ctx, usd, d, tokens(250_000), u.Address); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := approveAndCall(ctx, usd, market, u, tokens(250_000), "supplyUsd", tokens(250_000)); err != nil {
			return nil, fmt.Errorf("%s: honest lender: %w", name, err)
		}
	}
	atk, err := deployNamed(ctx, c, env.Attacker, "RoundingEmptyMarketAttacker", market.Address, wbtc.Address, usd.Address)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, wbtc, d, tokens(50), atk.Address); err != nil {
		return nil, fmt.Errorf("%s: attacker's WBTCx: %w", name, err)
	}
	s := &incidentStaged{
		client:  c,
		targets: []Target{{Name: "RoundingEmptyMarket", Address: market.Address, Pausable: true}},
		book: &ledger{client: c, unit: "USDx", assets: []pricedAsset{
			{symbol: "USDx", token: usd, price: unitOne()},
			{symbol: "WBTCx", token: wbtc, price: price},
		}},
		attackerEOA: env.Attacker.Address,
		attackers:   []common.Address{env.Attacker.Address, atk.Address},
		victims:     []common.Address{market.Address},
	}
	s.build = func(ctx context.Context) ([]*types.Transaction, error) {
		tx, err := buildCall(ctx, c, env.Attacker, atk, nil, "attack")
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
