// Package traffic is the seeded, reproducible benign-traffic generator: many
// actor accounts swapping with heavy-tailed sizes, providing and removing
// liquidity, lending, borrowing, repaying, transferring and wrapping ETH on
// the testbed, plus benign MEV bots (an arbitrageur closing price gaps
// between the two AMMs and a sandwich bot) and occasional liquidations.
//
// It is the noise the detectors must not mistake for an exploit. The same
// seed on a freshly deployed testbed produces the same actions with the same
// amounts: every step draws from its own PCG stream seeded by (Seed, step),
// transactions carry fixed gas limits, tips and fee caps, and the generator
// predicts the AMMs' reserves within a block so that its slippage limits hold.
package traffic

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

// Gas limits per transaction shape. Fixed limits avoid estimating gas
// against the latest block while earlier transactions of the same block are
// still pending, and keep transactions reproducible.
const (
	gasTransfer  = 21_000
	gasToken     = 250_000
	gasSwap      = 600_000
	gasLiquidity = 800_000
	gasLending   = 900_000
)

// Priority fees: benign users all bid the same tip so that a block executes
// in send order; the arbitrageur and the sandwich bot outbid them.
var (
	tipUser     = big.NewInt(1 * params.GWei)
	tipVictim   = big.NewInt(2 * params.GWei)
	tipBackRun  = big.NewInt(params.GWei + params.GWei/2)
	tipFrontRun = big.NewInt(4 * params.GWei)
	tipArb      = big.NewInt(5 * params.GWei)
	minFeeCap   = big.NewInt(50 * params.GWei)
)

// Action is one transaction the generator sent, in order.
type Action struct {
	// Step is the main-phase step that produced it (-1 for setup).
	Step int
	// Block is the generator's block counter when it was sent.
	Block int
	Kind  Kind
	// Actor names the sender ("actor-3", "arb-bot", "sandwich-bot", ...).
	Actor string
	From  common.Address
	// Method is the contract method called ("" for a plain ETH transfer).
	Method string
	// Amount is the action's principal amount in wei of its input asset.
	Amount *big.Int
	Tx     common.Hash
	// Reverted is set once the transaction was mined with status 0.
	Reverted bool
}

// Stats summarises a run.
type Stats struct {
	// Transactions is the number of main-phase transactions sent.
	Transactions int
	// Setup is the number of setup transactions (funding, approvals).
	Setup int
	// Blocks is the number of blocks the generator mined.
	Blocks int
	// Reverted counts main-phase transactions mined with status 0.
	Reverted int
	// Failed counts transactions the node refused to accept.
	Failed int
	// ByKind counts main-phase transactions per Kind.
	ByKind map[string]int
	// ArbitrageProfit and SandwichProfit are the bots' predicted gross
	// profits in wei of WETH.
	ArbitrageProfit, SandwichProfit *big.Int
	// Liquidations counts successful liquidation transactions.
	Liquidations int
	Duration     time.Duration
}

// actor is one account the generator drives.
type actor struct {
	name string
	acct chain.Account
}

type sentTx struct {
	tx     *types.Transaction
	action int
	main   bool
}

// Generator produces benign traffic on a testbed. It is not safe for
// concurrent use.
type Generator struct {
	cfg    Config
	c      *chain.Client
	w      *world
	funder chain.Account
	log    *slog.Logger

	actors     []*actor
	arbBot     *actor
	sandBot    *actor
	liquidator *actor
	risky      *actor
	whale      *actor

	pending []sentTx
	busy    map[common.Address]bool
	feeCap  *big.Int
	step    int
	actions []Action
	stats   Stats
	setUp   bool
}

// New returns a generator driving tb on c. Its actors are derived from
// cfg.Seed and funded with ETH from funder, who needs about
// 60·cfg.ActorFunding (12,000 ETH with the defaults). New sends nothing; Run
// does the setup on first use. A nil logger discards diagnostics.
func New(cfg Config, c *chain.Client, tb *testbed.Testbed, funder chain.Account, logger *slog.Logger) (*Generator, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	w, err := worldFromTestbed(tb)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("%w: nil client", ErrConfig)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	g := &Generator{
		cfg: cfg, c: c, w: w, funder: funder, log: logger,
		busy:   make(map[common.Address]bool),
		feeCap: new(big.Int).Set(minFeeCap),
		stats: Stats{ByKind: make(map[string]int),
			ArbitrageProfit: new(big.Int), SandwichProfit: new(big.Int)},
	}
	mk := func(name string) *actor {
		return &actor{name: name, acct: chain.AccountFromSeed(fmt.Sprintf("aegis-traffic-%d-%s", cfg.Seed, name))}
	}
	for i := range cfg.Actors {
		g.actors = append(g.actors, &actor{name: fmt.Sprintf("actor-%d", i),
			acct: chain.AccountFromSeed(fmt.Sprintf("aegis-traffic-%d-%d", cfg.Seed, i))})
	}
	g.arbBot = mk("arb-bot")
	g.sandBot = mk("sandwich-bot")
	g.liquidator = mk("liquidator")
	g.risky = mk("risky-borrower")
	g.whale = mk("whale")
	return g, nil
}

// Actors returns the addresses of the generator's user accounts.
func (g *Generator) Actors() []common.Address {
	out := make([]common.Address, len(g.actors))
	for i, a := range g.actors {
		out[i] = a.acct.Address
	}
	return out
}

// Bots returns the arbitrage and sandwich bots' addresses.
func (g *Generator) Bots() (arbitrage, sandwich common.Address) {
	return g.arbBot.acct.Address, g.sandBot.acct.Address
}

// Actions returns a copy of every transaction sent so far, in order.
func (g *Generator) Actions() []Action {
	out := make([]Action, len(g.actions))
	for i, a := range g.actions {
		out[i] = a
		if a.Amount != nil {
			out[i].Amount = new(big.Int).Set(a.Amount)
		}
	}
	return out
}

// Run funds the actors (once), then sends main-phase transactions until
// Config.Transactions were sent, Config.Duration elapsed or ctx is done, and
// mines the last block. Reverted transactions are counted, not fatal. On
// cancellation it returns the stats so far with an error wrapping ctx.Err().
func (g *Generator) Run(ctx context.Context) (Stats, error) {
	st, err := g.run(ctx)
	if err != nil && ctx.Err() == nil {
		if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
			// The RPC layer hands ctx's deadline to the connection, which
			// times out on the wall clock while ctx's own timer, late on a
			// loaded machine, has not yet cancelled it: wait for the timer
			// (already due) so the error says the deadline passed.
			<-ctx.Done()
		}
	}
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		// The RPC layer may surface cancellation as a transport error.
		err = fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return st, err
}

func (g *Generator) run(ctx context.Context) (Stats, error) {
	start := time.Now()
	defer func() { g.stats.Duration = time.Since(start) }()
	if !g.setUp {
		if err := g.setup(ctx); err != nil {
			return g.snapshot(start), fmt.Errorf("traffic setup: %w", err)
		}
		g.setUp = true
	}
	mainStart := time.Now()
	sentAtStart := g.stats.Transactions
	for {
		if err := ctx.Err(); err != nil {
			return g.snapshot(start), fmt.Errorf("traffic run: %w", err)
		}
		sent := g.stats.Transactions - sentAtStart
		if g.cfg.Transactions > 0 && sent >= g.cfg.Transactions {
			break
		}
		if g.cfg.Duration > 0 && time.Since(mainStart) >= g.cfg.Duration {
			break
		}
		if g.cfg.Rate > 0 {
			due := mainStart.Add(time.Duration(float64(sent) / g.cfg.Rate * float64(time.Second)))
			if err := sleepUntil(ctx, due); err != nil {
				return g.snapshot(start), fmt.Errorf("traffic run: %w", err)
			}
		}
		left := -1
		if g.cfg.Transactions > 0 {
			left = g.cfg.Transactions - sent
		}
		if err := g.doStep(ctx, left); err != nil {
			return g.snapshot(start), fmt.Errorf("traffic step %d: %w", g.step, err)
		}
		g.step++
		if len(g.pending) >= g.cfg.TxsPerBlock {
			if err := g.endBlock(ctx, left); err != nil {
				return g.snapshot(start), fmt.Errorf("traffic block %d: %w", g.stats.Blocks, err)
			}
		}
	}
	if err := g.flush(ctx); err != nil {
		return g.snapshot(start), fmt.Errorf("traffic final block: %w", err)
	}
	return g.snapshot(start), nil
}

func (g *Generator) snapshot(start time.Time) Stats {
	s := g.stats
	s.Duration = time.Since(start)
	s.ByKind = make(map[string]int, len(g.stats.ByKind))
	for k, v := range g.stats.ByKind {
		s.ByKind[k] = v
	}
	s.ArbitrageProfit = new(big.Int).Set(g.stats.ArbitrageProfit)
	s.SandwichProfit = new(big.Int).Set(g.stats.SandwichProfit)
	return s
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// stepRand returns the step's own random stream, so that an action drawing
// more or fewer numbers never shifts the draws of later steps.
func (g *Generator) stepRand(step int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.cfg.Seed), uint64(step)))
}

// endBlock mines the pending transactions and lets the arbitrage bot act on
// the new state at the top of the next block.
func (g *Generator) endBlock(ctx context.Context, left int) error {
	if err := g.flush(ctx); err != nil {
		return err
	}
	if g.cfg.NoArbitrage || (left >= 0 && left < 2+len(g.pending)) {
		return nil
	}
	_, err := g.arbitrage(ctx)
	return err
}

// send signs and sends a contract call from a, recording it as an action.
func (g *Generator) send(ctx context.Context, a *actor, kind Kind, k *chain.Contract, value *big.Int, gas uint64, tip *big.Int, amount *big.Int, method string, args ...any) error {
	data, err := k.Pack(method, args...)
	if err != nil {
		return err
	}
	return g.sendRaw(ctx, a, kind, &k.Address, value, data, gas, tip, amount, method)
}

func (g *Generator) sendRaw(ctx context.Context, a *actor, kind Kind, to *common.Address, value *big.Int, data []byte, gas uint64, tip, amount *big.Int, method string) error {
	main := kind != KindSetup
	tx, err := g.c.SendTx(ctx, a.acct, to, data, chain.TxOpts{Value: value, GasLimit: gas, TipCap: tip, FeeCap: g.feeCap})
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("send %s from %s: %w", kind, a.name, err)
		}
		g.stats.Failed++
		g.log.Warn("traffic tx refused", "kind", kind, "actor", a.name, "method", method, "err", err)
		return nil
	}
	if amount == nil {
		amount = value
	}
	if amount == nil {
		amount = new(big.Int)
	}
	g.actions = append(g.actions, Action{
		Step: g.step, Block: g.stats.Blocks, Kind: kind, Actor: a.name, From: a.acct.Address,
		Method: method, Amount: new(big.Int).Set(amount), Tx: tx.Hash(),
	})
	if !main {
		g.actions[len(g.actions)-1].Step = -1
		g.stats.Setup++
	} else {
		g.stats.Transactions++
		g.stats.ByKind[string(kind)]++
	}
	g.pending = append(g.pending, sentTx{tx: tx, action: len(g.actions) - 1, main: main})
	g.busy[a.acct.Address] = true
	return nil
}

// flush mines the pending transactions, collects their receipts and
// refreshes the predicted pool state.
func (g *Generator) flush(ctx context.Context) error {
	if len(g.pending) > 0 {
		if err := g.c.Mine(ctx); err != nil {
			return fmt.Errorf("mine block: %w", err)
		}
		g.stats.Blocks++
		for _, p := range g.pending {
			if err := g.waitMined(ctx, p.tx); err != nil {
				if !errors.Is(err, chain.ErrReverted) {
					return err
				}
				g.actions[p.action].Reverted = true
				if p.main {
					g.stats.Reverted++
				}
				g.log.Debug("traffic tx reverted", "kind", g.actions[p.action].Kind,
					"actor", g.actions[p.action].Actor, "method", g.actions[p.action].Method, "tx", p.tx.Hash())
			} else if g.actions[p.action].Kind == KindLiquidate {
				g.stats.Liquidations++
			}
		}
		g.pending = g.pending[:0]
		clear(g.busy)
	}
	return g.refresh(ctx)
}

// waitMined waits for tx's receipt. With a client that mines on demand,
// mining is synchronous: a transaction without a receipt once its block was
// sealed was left out of it (e.g. the block was full), so another block is
// mined. That is decided from the chain, not from how long a receipt took to
// appear, which on a loaded machine added blocks that shifted everything
// after them. An automining node is simply waited for.
func (g *Generator) waitMined(ctx context.Context, tx *types.Transaction) error {
	if !g.c.MinesOnDemand() {
		if _, err := g.c.WaitMined(ctx, tx); err != nil {
			return fmt.Errorf("wait for %s: %w", tx.Hash(), err)
		}
		return nil
	}
	for attempt := 0; ; attempt++ {
		r, err := g.c.Backend().TransactionReceipt(ctx, tx.Hash())
		switch {
		case err == nil && r.Status == types.ReceiptStatusSuccessful:
			return nil
		case err == nil:
			return fmt.Errorf("tx %s: %w (gas used %d)", tx.Hash(), chain.ErrReverted, r.GasUsed)
		case !errors.Is(err, ethereum.NotFound):
			return fmt.Errorf("eth_getTransactionReceipt %s: %w", tx.Hash(), err)
		case attempt >= 6:
			return fmt.Errorf("tx %s left out of %d blocks in a row", tx.Hash(), attempt+1)
		}
		g.log.Warn("traffic tx not in the sealed block; mining again", "tx", tx.Hash(), "attempt", attempt+1)
		if err := g.c.Mine(ctx); err != nil {
			return fmt.Errorf("mine block: %w", err)
		}
		g.stats.Blocks++
	}
}

// refresh re-reads pool reserves and the base fee after a block.
func (g *Generator) refresh(ctx context.Context) error {
	for _, p := range g.w.pools {
		if err := p.refresh(ctx); err != nil {
			return err
		}
	}
	head, err := g.c.Backend().HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("latest header: %w", err)
	}
	fc := new(big.Int).Set(minFeeCap)
	if head.BaseFee != nil {
		if need := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(3)), tipArb); need.Cmp(fc) > 0 {
			fc = need
		}
	}
	g.feeCap = fc
	return nil
}

// pickActor draws a user account that has not sent in the current block
// (so its balances read from the latest block are current); nil when all
// are busy.
func (g *Generator) pickActor(r *rand.Rand, except ...*actor) *actor {
	n := len(g.actors)
	start := r.IntN(n)
	for i := range n {
		a := g.actors[(start+i)%n]
		if g.busy[a.acct.Address] {
			continue
		}
		skip := false
		for _, e := range except {
			if e == a {
				skip = true
			}
		}
		if !skip {
			return a
		}
	}
	return nil
}

func (g *Generator) ethBalance(ctx context.Context, a common.Address) (*big.Int, error) {
	b, err := g.c.Backend().BalanceAt(ctx, a, nil)
	if err != nil {
		return nil, fmt.Errorf("balance of %s: %w", a, err)
	}
	return b, nil
}

func tokenBalance(ctx context.Context, k *chain.Contract, a common.Address) (*big.Int, error) {
	b, err := k.CallBig(ctx, "balanceOf", a)
	if err != nil {
		return nil, fmt.Errorf("balanceOf %s at %s: %w", a, k.Address, err)
	}
	return b, nil
}

// spendableETH is the ETH balance minus a reserve for gas.
func spendableETH(bal *big.Int) *big.Int {
	v := new(big.Int).Sub(bal, chain.Ether(2))
	if v.Sign() < 0 {
		return new(big.Int)
	}
	return v
}

func minBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) <= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}
