package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
)

// This file holds what the generalisation scenarios share: their value is
// in the protocols' own tokens (a dollar token "USDx", a collateral token),
// not in ETH or WETH, so their outcome is measured in a unit of account
// (Outcome.Units) by valuing every asset at a fixed fair price.

// unitOne is 1.0 in 18-decimal fixed point: the price of the unit itself.
func unitOne() *big.Int { return chain.Ether(1) }

// tokens returns n whole 18-decimal tokens in base units.
func tokens(n int64) *big.Int { return chain.Ether(n) }

// pricedAsset is one asset a scenario values, at a fixed fair price.
type pricedAsset struct {
	symbol string
	// token is the ERC-20; nil means native ETH.
	token *chain.Contract
	// price is the unit's base units per 1e18 base units of the asset.
	price *big.Int
}

// ledger values holdings of a fixed set of assets in a unit of account.
type ledger struct {
	client *chain.Client
	unit   string
	assets []pricedAsset
}

// value is the summed value of addrs' holdings of every asset.
func (l *ledger) value(ctx context.Context, addrs []common.Address) (*big.Int, error) {
	total := new(big.Int)
	for _, a := range l.assets {
		for _, addr := range addrs {
			var bal *big.Int
			var err error
			if a.token == nil {
				bal, err = ethBalance(ctx, l.client, addr)
			} else {
				bal, err = a.token.CallBig(ctx, "balanceOf", addr)
			}
			if err != nil {
				return nil, fmt.Errorf("%s balance of %s: %w", a.symbol, addr, err)
			}
			total.Add(total, new(big.Int).Div(new(big.Int).Mul(bal, a.price), unitOne()))
		}
	}
	return total, nil
}

// ethPrice is the price of native ETH in the ledger, or nil when ETH is not
// valued.
func (l *ledger) ethPrice() *big.Int {
	for _, a := range l.assets {
		if a.token == nil {
			return a.price
		}
	}
	return nil
}

// incidentStaged is the Staged of every generalisation scenario: targets,
// a transaction builder and the accounting of Outcome in the scenario's
// unit.
type incidentStaged struct {
	client  *chain.Client
	targets []Target
	build   func(ctx context.Context) ([]*types.Transaction, error)
	book    *ledger
	// attackerEOA pays the gas; attackers are every address whose holdings
	// count as the attacker's (the EOA and its contracts).
	attackerEOA common.Address
	attackers   []common.Address
	// victims are the protocol contracts whose holdings make up the
	// protocol's value.
	victims []common.Address
	// offset returns value the attacker could have taken honestly (e.g. its
	// own reward): it is subtracted from profit and loss. Nil: nothing.
	offset func(ctx context.Context) (*big.Int, error)

	attackerStart, victimStart *big.Int
	eth                        *profitMeter
	ethLoss                    *balanceMeter
	txs                        []*types.Transaction
}

// baseline records the attacker's and the victims' starting values; call it
// last in Setup.
func (s *incidentStaged) baseline(ctx context.Context) error {
	var err error
	if s.attackerStart, err = s.book.value(ctx, s.attackers); err != nil {
		return fmt.Errorf("attacker baseline: %w", err)
	}
	if s.victimStart, err = s.victimValue(ctx); err != nil {
		return fmt.Errorf("victim baseline: %w", err)
	}
	if s.eth, err = newProfitMeter(ctx, s.client, nil, s.attackerEOA); err != nil {
		return err
	}
	if s.ethLoss, err = newBalanceMeter(ctx, s.client, nil, s.targets[0].Address); err != nil {
		return err
	}
	return nil
}

func (s *incidentStaged) victimValue(ctx context.Context) (*big.Int, error) {
	return s.book.value(ctx, s.victims)
}

// Targets implements Staged.
func (s *incidentStaged) Targets() []Target { return s.targets }

// Exploit implements Staged.
func (s *incidentStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	txs, err := s.build(ctx)
	if err != nil {
		return nil, err
	}
	s.txs = txs
	return txs, nil
}

// Outcome implements Staged: ETH moves in the ETH fields, everything valued
// in the scenario's unit in Units.
func (s *incidentStaged) Outcome(ctx context.Context) (Outcome, error) {
	ethProfit, err := s.eth.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, err
	}
	ethLoss, err := s.ethLoss.loss(ctx)
	if err != nil {
		return Outcome{}, err
	}
	now, err := s.book.value(ctx, s.attackers)
	if err != nil {
		return Outcome{}, fmt.Errorf("attacker value: %w", err)
	}
	profit := new(big.Int).Sub(now, s.attackerStart)
	if p := s.book.ethPrice(); p != nil {
		// The EOA's gas fees are not part of the attack's value.
		fees, err := feesPaid(ctx, s.client, s.txs, s.attackerEOA)
		if err != nil {
			return Outcome{}, err
		}
		profit.Add(profit, new(big.Int).Div(new(big.Int).Mul(fees, p), unitOne()))
	}
	vnow, err := s.victimValue(ctx)
	if err != nil {
		return Outcome{}, fmt.Errorf("victim value: %w", err)
	}
	loss := new(big.Int).Sub(s.victimStart, vnow)
	if s.offset != nil {
		off, err := s.offset(ctx)
		if err != nil {
			return Outcome{}, err
		}
		profit.Sub(profit, off)
		loss.Sub(loss, off)
	}
	return Outcome{
		AttackerProfit: ethProfit,
		ProtocolLoss:   ethLoss,
		Units:          &Units{Symbol: s.book.unit, Decimals: 18, AttackerProfit: profit, ProtocolLoss: loss},
	}, nil
}

// deployToken deploys an 18-decimal fixed-supply token minted to from.
func deployToken(ctx context.Context, c *chain.Client, from chain.Account, name, symbol string, supply *big.Int) (*chain.Contract, error) {
	return deployNamed(ctx, c, from, "FixedSupplyToken", name, symbol, supply)
}

// giveTokens transfers amount of tok from `from` to each of to.
func giveTokens(ctx context.Context, tok *chain.Contract, from chain.Account, amount *big.Int, to ...common.Address) error {
	for _, a := range to {
		if err := transact(ctx, tok, from, nil, "transfer tokens", "transfer", a, amount); err != nil {
			return err
		}
	}
	return nil
}

// approveAndCall has `from` approve spender for amount of tok and then
// call method on spender.
func approveAndCall(ctx context.Context, tok, spender *chain.Contract, from chain.Account, amount *big.Int, method string, args ...any) error {
	if err := transact(ctx, tok, from, nil, "approve", "approve", spender.Address, amount); err != nil {
		return err
	}
	return transact(ctx, spender, from, nil, method, method, args...)
}

// pick returns the vulnerable or the safe name.
func pick(v Variant, vulnerable, safe string) string {
	if v == Safe {
		return safe
	}
	return vulnerable
}

// checkVariant rejects variants other than Vulnerable and Safe.
// prepare checks, for scenario name, the variant and that env has at
// least users users: the common first step of every generalisation Setup.
func prepare(name string, env *Env, v Variant, users int) error {
	if err := checkVariant(name, v); err != nil {
		return err
	}
	if err := requireUsers(env, users); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// deployUSDx deploys the generalisation set's unit of account: a dollar
// token "USDx" with 1e9 units minted to from.
func deployUSDx(ctx context.Context, c *chain.Client, from chain.Account) (*chain.Contract, error) {
	return deployToken(ctx, c, from, "Dollar X", "USDx", tokens(1_000_000_000))
}

func checkVariant(name string, v Variant) error {
	if v != Vulnerable && v != Safe {
		return fmt.Errorf("%s: unknown variant %q", name, v)
	}
	return nil
}
