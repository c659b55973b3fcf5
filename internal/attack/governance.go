package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
)

// GovernanceTakeover re-creates the Beanstalk (2022) flash-loan governance
// takeover.
//
// Setup deploys WETH9, a 1,000,000-token VoteToken, and VulnerableDAO or
// SafeDAO (snapshot votes, 1-block voting delay, 20-block voting period,
// 2-day timelock). Four users hold 75,000 votes each (self-delegated) and
// fund the treasury with 25 ETH each; the deployer adds 100 WETH. A fresh
// FlashLoanPool (9 bps fee) holds 690,000 vote tokens from the deployer, and
// the attacker's GovernanceAttacker contract holds 1,000 tokens bought
// earlier to pay the fee. The exploit is one transaction: borrow 690,000,
// propose "send the treasury to the attacker", vote, emergency-commit,
// repay.
//
// AttackerProfit is the attacker EOA's ETH+WETH change plus its exploit gas
// fees (vote tokens spent on the fee are not valued). ProtocolLoss is the
// treasury's ETH+WETH decrease.
type GovernanceTakeover struct{}

// Amounts used by the GovernanceTakeover scenario (vote tokens have 18
// decimals).
const (
	govSupply       = 1_000_000
	govUserVotes    = 75_000
	govPoolVotes    = 690_000
	govAttackerBuys = 1_000
	govThreshold    = 10_000
	govUserTreasury = 25
	govWETHTreasury = 100
	govUsers        = 4
)

// Info implements Scenario.
func (GovernanceTakeover) Info() Info {
	return Info{
		Name:     "governance-takeover",
		Class:    "governance flash-loan takeover",
		Incident: "Beanstalk 2022",
		Summary:  "An attacker contract flash-borrows a two-thirds majority of the vote token, then proposes, votes and emergency-executes a proposal sending the DAO treasury to the attacker, and repays, in one transaction.",
	}
}

// Setup implements Scenario.
func (GovernanceTakeover) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	if err := requireUsers(env, govUsers); err != nil {
		return nil, err
	}
	c, dep := env.Client, env.Deployer
	weth, err := deployWETH(ctx, c, dep)
	if err != nil {
		return nil, err
	}
	token, err := deployNamed(ctx, c, dep, "VoteToken", "Bean Governance", "BGOV", chain.Ether(govSupply))
	if err != nil {
		return nil, err
	}
	var dao *chain.Contract
	name := "VulnerableDAO"
	if v == Safe {
		name = "SafeDAO"
		dao, err = deployNamed(ctx, c, dep, name, token.Address, chain.Ether(govThreshold),
			big.NewInt(1), big.NewInt(20), big.NewInt(2*24*3600), env.Guardian.Address)
	} else {
		dao, err = deployNamed(ctx, c, dep, name, token.Address, chain.Ether(govThreshold), env.Guardian.Address)
	}
	if err != nil {
		return nil, err
	}
	for _, u := range env.Users[:govUsers] {
		if err := transact(ctx, token, dep, nil, "distribute votes", "transfer", u.Address, chain.Ether(govUserVotes)); err != nil {
			return nil, err
		}
		if err := transact(ctx, token, u, nil, "self-delegate", "delegate", u.Address); err != nil {
			return nil, err
		}
		if err := sendETH(ctx, c, u, dao.Address, chain.Ether(govUserTreasury)); err != nil {
			return nil, fmt.Errorf("fund treasury: %w", err)
		}
	}
	if err := transact(ctx, weth, dep, chain.Ether(govWETHTreasury), "wrap treasury WETH", "deposit"); err != nil {
		return nil, err
	}
	if err := transact(ctx, weth, dep, nil, "fund treasury WETH", "transfer", dao.Address, chain.Ether(govWETHTreasury)); err != nil {
		return nil, err
	}
	pool, err := deployNamed(ctx, c, dep, "FlashLoanPool", env.Guardian.Address, big.NewInt(9))
	if err != nil {
		return nil, err
	}
	if err := transact(ctx, token, dep, nil, "approve pool", "approve", pool.Address, chain.Ether(govPoolVotes)); err != nil {
		return nil, err
	}
	if err := transact(ctx, pool, dep, nil, "seed flash pool", "deposit", token.Address, chain.Ether(govPoolVotes)); err != nil {
		return nil, err
	}
	attacker, err := deployNamed(ctx, c, env.Attacker, "GovernanceAttacker", pool.Address, token.Address, dao.Address, weth.Address)
	if err != nil {
		return nil, err
	}
	if err := transact(ctx, token, dep, nil, "attacker buys fee tokens", "transfer", attacker.Address, chain.Ether(govAttackerBuys)); err != nil {
		return nil, err
	}
	s := &governanceStaged{client: c, attackerEOA: env.Attacker, dao: dao, daoName: name, attacker: attacker, weth: weth}
	if s.profit, err = newProfitMeter(ctx, c, weth, env.Attacker.Address); err != nil {
		return nil, err
	}
	if s.loss, err = newBalanceMeter(ctx, c, weth, dao.Address); err != nil {
		return nil, err
	}
	return s, nil
}

type governanceStaged struct {
	client      *chain.Client
	attackerEOA chain.Account
	dao         *chain.Contract
	daoName     string
	attacker    *chain.Contract
	weth        *chain.Contract
	profit      *profitMeter
	loss        *balanceMeter
	txs         []*types.Transaction
}

// Targets implements Staged.
func (s *governanceStaged) Targets() []Target {
	return []Target{{Name: s.daoName, Address: s.dao.Address, Pausable: true}}
}

// Exploit implements Staged.
func (s *governanceStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	tx, err := buildCall(ctx, s.client, s.attackerEOA, s.attacker, nil, "attack", chain.Ether(govPoolVotes))
	if err != nil {
		return nil, fmt.Errorf("governance takeover: %w", err)
	}
	s.txs = []*types.Transaction{tx}
	return s.txs, nil
}

// Outcome implements Staged.
func (s *governanceStaged) Outcome(ctx context.Context) (Outcome, error) {
	p, err := s.profit.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, fmt.Errorf("governance profit: %w", err)
	}
	l, err := s.loss.loss(ctx)
	if err != nil {
		return Outcome{}, fmt.Errorf("governance loss: %w", err)
	}
	return Outcome{AttackerProfit: p, ProtocolLoss: l}, nil
}

// treasury is the DAO's ETH+WETH.
func (s *governanceStaged) treasury(ctx context.Context) (*big.Int, error) {
	return holdings(ctx, s.client, s.weth, s.dao.Address)
}
