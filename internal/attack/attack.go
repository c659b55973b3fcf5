// Package attack is the attack library: re-creations of real DeFi incidents
// against the testbed's protocols, each an attacker contract plus a Go driver.
//
// A Scenario deploys its victim in one of two variants (vulnerable or safe),
// funds it with honest users' deposits, deploys the attacker's contracts and
// then hands back a Staged attack whose exploit transactions are built and
// signed but not sent. Keeping "build" separate from "send" is what lets the
// monitor see the exploit in the mempool and the guard front-run it.
package attack

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
)

// Variant selects the vulnerable or the fixed version of a victim protocol.
type Variant string

// The two variants every scenario supports.
const (
	Vulnerable Variant = "vulnerable"
	Safe       Variant = "safe"
)

// Info describes a scenario.
type Info struct {
	// Name is a short kebab-case identifier, e.g. "oracle-manipulation".
	Name string
	// Class is the attack class, e.g. "flash-loan price manipulation".
	Class string
	// Incident names the real incident(s) the mechanism mirrors.
	Incident string
	// Summary is one sentence describing what the attacker does.
	Summary string
}

// Env is what a scenario needs from the chain: a client and funded accounts
// with fixed roles.
type Env struct {
	Client *chain.Client
	// Deployer deploys and owns the protocols.
	Deployer chain.Account
	// Guardian holds the pause role on every protocol.
	Guardian chain.Account
	// Attacker is the exploiter's EOA.
	Attacker chain.Account
	// Users are honest users and liquidity providers (at least 4).
	Users []chain.Account
}

// Target is a protocol contract under attack.
type Target struct {
	Name    string
	Address common.Address
	// Pausable reports whether the guardian can pause() it.
	Pausable bool
}

// Outcome is the economic result of an attack, valued in wei of ETH.
type Outcome struct {
	// AttackerProfit is the attacker's net gain (may be negative), excluding
	// gas fees.
	AttackerProfit *big.Int
	// ProtocolLoss is the value that left the victim protocol (may be
	// negative or zero when the attack failed).
	ProtocolLoss *big.Int
	// Units, when not nil, is the outcome in the scenario's own unit of
	// account (e.g. a dollar token): scenarios whose value is not ETH set
	// it, and then AttackerProfit and ProtocolLoss only count ETH moves.
	Units *Units
}

// Units is an attack's outcome in a scenario's own unit of account: the
// attacker's and the victim's holdings of every asset involved, each valued
// at a fixed fair (pre-attack) price in that unit.
type Units struct {
	// Symbol names the unit, e.g. "USDx".
	Symbol string
	// Decimals is the unit's decimals (the amounts are in base units).
	Decimals uint8
	// AttackerProfit is the attacker's net gain in base units (gas fees
	// excluded).
	AttackerProfit *big.Int
	// ProtocolLoss is the value that left the victim contracts (or that
	// they owe and cannot recover), in base units.
	ProtocolLoss *big.Int
}

// Profit is the attacker's profit in the scenario's unit of account: Units
// when set, else ETH wei.
func (o Outcome) Profit() *big.Int {
	if o.Units != nil && o.Units.AttackerProfit != nil {
		return o.Units.AttackerProfit
	}
	return o.AttackerProfit
}

// Loss is the protocol's loss in the scenario's unit of account: Units when
// set, else ETH wei.
func (o Outcome) Loss() *big.Int {
	if o.Units != nil && o.Units.ProtocolLoss != nil {
		return o.Units.ProtocolLoss
	}
	return o.ProtocolLoss
}

// Staged is an attack ready to strike.
type Staged interface {
	// Targets lists the victim contracts (the first is the main one).
	Targets() []Target
	// Exploit builds and signs the attacker's transactions, in order,
	// without sending them. They carry explicit gas limits so they can be
	// built before earlier ones are mined.
	Exploit(ctx context.Context) ([]*types.Transaction, error)
	// Outcome measures the attacker's profit and the protocol's loss since
	// Setup.
	Outcome(ctx context.Context) (Outcome, error)
}

// Scenario is one entry of the attack library.
type Scenario interface {
	Info() Info
	// Setup deploys the victim in variant v, funds it, deploys the
	// attacker's contracts and mines all of it.
	Setup(ctx context.Context, env *Env, v Variant) (Staged, error)
}

// Result is the outcome of running a staged attack to completion.
type Result struct {
	Outcome
	// Succeeded is true when every exploit transaction succeeded and the
	// attacker made a profit (in the scenario's unit of account, see
	// Outcome.Profit).
	Succeeded bool
	// Txs are the exploit transactions in order and their receipts.
	Txs      []*types.Transaction
	Receipts []*types.Receipt
}

// PendingFunc is called after an exploit transaction entered the node's
// mempool and before it is mined: the moment a monitor or guard acts.
type PendingFunc func(ctx context.Context, tx *types.Transaction) error

// Execute sends the staged exploit transactions one by one, mining each, and
// measures the outcome. A reverted exploit transaction is not an error: it is
// how attacks fail on safe variants. onPending, when not nil, runs for each
// transaction while it is pending.
func Execute(ctx context.Context, c *chain.Client, s Staged, onPending PendingFunc) (*Result, error) {
	txs, err := s.Exploit(ctx)
	if err != nil {
		return nil, fmt.Errorf("build exploit: %w", err)
	}
	res := &Result{Txs: txs}
	allOK := true
	for _, tx := range txs {
		if err := c.Backend().SendTransaction(ctx, tx); err != nil {
			return nil, fmt.Errorf("send exploit tx %s: %w", tx.Hash(), err)
		}
		if onPending != nil {
			if err := onPending(ctx, tx); err != nil {
				return nil, fmt.Errorf("pending hook for %s: %w", tx.Hash(), err)
			}
		}
		if err := c.Mine(ctx); err != nil {
			return nil, err
		}
		r, err := c.WaitMined(ctx, tx)
		if err != nil && !errors.Is(err, chain.ErrReverted) {
			return nil, err
		}
		if errors.Is(err, chain.ErrReverted) {
			allOK = false
		}
		res.Receipts = append(res.Receipts, r)
	}
	out, err := s.Outcome(ctx)
	if err != nil {
		return nil, fmt.Errorf("measure outcome: %w", err)
	}
	res.Outcome = out
	res.Succeeded = allOK && out.Profit().Sign() > 0
	return res, nil
}
