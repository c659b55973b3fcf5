package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
)

// Reentrancy re-creates The DAO (2016) drain against the testbed's ETH bank:
// an attacker contract deposits a small stake and re-enters withdraw from its
// receive hook until the bank is empty.
//
// Setup deploys VulnerableBank or SafeBank, has four users deposit
// 12.5 ETH each (50 ETH), and deploys ReentrancyAttacker from the attacker's
// EOA. The exploit is one transaction: attack(bank) with a 1 ETH stake. Profit is the attacker EOA's ETH change plus the
// gas fees of its exploit transaction (read from the receipt), so it does not
// depend on the gas price; loss is the bank's ETH decrease.
type Reentrancy struct{}

// reentrancyUserDeposit is each honest user's deposit: 12.5 ETH, 50 ETH in
// total.
func reentrancyUserDeposit() *big.Int { return chain.Wei("12.5") }

// reentrancyStake is the attacker's deposit, re-withdrawn on every re-entry.
func reentrancyStake() *big.Int { return chain.Ether(1) }

// reentrancyUsers is how many honest users deposit into the bank.
const reentrancyUsers = 4

// Info implements Scenario.
func (Reentrancy) Info() Info {
	return Info{
		Name:     "reentrancy",
		Class:    "reentrancy",
		Incident: "The DAO 2016 / Rari Capital 2022",
		Summary:  "An attacker contract deposits 1 ETH into an ETH bank that pays before it debits, and re-enters withdraw from receive() until the bank is empty.",
	}
}

// Setup implements Scenario.
func (Reentrancy) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	if err := requireUsers(env, reentrancyUsers); err != nil {
		return nil, err
	}
	c := env.Client
	name := "VulnerableBank"
	if v == Safe {
		name = "SafeBank"
	}
	bank, err := deployNamed(ctx, c, env.Deployer, name, env.Guardian.Address)
	if err != nil {
		return nil, err
	}
	for _, u := range env.Users[:reentrancyUsers] {
		if err := transact(ctx, bank, u, reentrancyUserDeposit(), "user deposit", "deposit"); err != nil {
			return nil, err
		}
	}
	attacker, err := deployNamed(ctx, c, env.Attacker, "ReentrancyAttacker")
	if err != nil {
		return nil, err
	}
	s := &reentrancyStaged{client: c, attackerEOA: env.Attacker, bank: bank, attacker: attacker, bankName: name}
	if s.profit, err = newProfitMeter(ctx, c, nil, env.Attacker.Address); err != nil {
		return nil, err
	}
	if s.loss, err = newBalanceMeter(ctx, c, nil, bank.Address); err != nil {
		return nil, err
	}
	return s, nil
}

type reentrancyStaged struct {
	client      *chain.Client
	attackerEOA chain.Account
	bank        *chain.Contract
	bankName    string
	attacker    *chain.Contract
	profit      *profitMeter
	loss        *balanceMeter
	txs         []*types.Transaction
}

// Targets implements Staged.
func (s *reentrancyStaged) Targets() []Target {
	return []Target{{Name: s.bankName, Address: s.bank.Address, Pausable: true}}
}

// Exploit implements Staged.
func (s *reentrancyStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	tx, err := buildCall(ctx, s.client, s.attackerEOA, s.attacker, reentrancyStake(), "attack", s.bank.Address)
	if err != nil {
		return nil, fmt.Errorf("reentrancy: %w", err)
	}
	s.txs = []*types.Transaction{tx}
	return s.txs, nil
}

// Outcome implements Staged.
func (s *reentrancyStaged) Outcome(ctx context.Context) (Outcome, error) {
	p, err := s.profit.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, fmt.Errorf("reentrancy profit: %w", err)
	}
	l, err := s.loss.loss(ctx)
	if err != nil {
		return Outcome{}, fmt.Errorf("reentrancy loss: %w", err)
	}
	return Outcome{AttackerProfit: p, ProtocolLoss: l}, nil
}

// bankBalance is a convenience for tests and reports: the bank's ETH.
func (s *reentrancyStaged) bankBalance(ctx context.Context) (*big.Int, error) {
	return ethBalance(ctx, s.client, s.bank.Address)
}
