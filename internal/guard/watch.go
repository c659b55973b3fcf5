package guard

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// watch follows the attack and the protective transactions until the attack
// is mined or dropped (or WatchTimeout passes), replacing protective
// transactions that a new block left out while the attack is still pending.
func (g *Guard) watch(ctx context.Context, pol Policy, plan *simPlan, attack *types.Transaction, txs []signedTx, gs *gateState, d *Decision) error {
	ctx, cancel := context.WithTimeout(ctx, g.cfg.WatchTimeout)
	defer cancel()
	current := append([]signedTx(nil), txs...)
	mined := make([]bool, len(txs))
	lastHead := gs.head
	ticker := time.NewTicker(g.cfg.PollInterval)
	defer ticker.Stop()
	for {
		var (
			head struct {
				Number  hexutil.Uint64 `json:"number"`
				BaseFee *hexutil.Big   `json:"baseFeePerGas"`
			}
			attackRcpt *rpcReceipt
			attackTx   *struct {
				Hash common.Hash `json:"hash"`
			}
		)
		batch := []rpc.BatchElem{
			{Method: "eth_getBlockByNumber", Args: []any{"latest", false}, Result: &head},
			{Method: "eth_getTransactionReceipt", Args: []any{attack.Hash()}, Result: &attackRcpt},
			{Method: "eth_getTransactionByHash", Args: []any{attack.Hash()}, Result: &attackTx},
		}
		// Every version ever sent may be the one mined.
		rcpts := make([]*rpcReceipt, len(d.Txs))
		for i := range d.Txs {
			batch = append(batch, rpc.BatchElem{Method: "eth_getTransactionReceipt", Args: []any{d.Txs[i].Hash}, Result: &rcpts[i]})
		}
		if err := g.cfg.RPC.BatchCallContext(ctx, batch); err != nil {
			if ctx.Err() != nil {
				return g.timedOut(ctx, d)
			}
			return fmt.Errorf("watch batch (eth_getTransactionReceipt, eth_getTransactionByHash): %w", err)
		}
		for _, e := range batch {
			if e.Error != nil && !errors.Is(e.Error, context.Canceled) {
				return fmt.Errorf("watch %s: %w", e.Method, e.Error)
			}
		}
		for i, r := range rcpts {
			if r == nil || r.BlockNumber == nil {
				continue
			}
			t := &d.Txs[i]
			t.Block, t.Index = r.BlockNumber.ToInt().Uint64(), uint(r.TransactionIndex)
			t.Status = "reverted"
			if r.Status == 1 {
				t.Status = "ok"
			}
			for j := range current {
				if current[j].tx.Nonce() == d.Txs[i].Nonce {
					mined[j] = true
				}
			}
		}
		switch {
		case attackRcpt != nil && attackRcpt.BlockNumber != nil:
			return g.finish(ctx, plan, attackRcpt, mined, d)
		case attackTx == nil:
			d.Outcome = &Outcome{Attack: "dropped", ProtectedFirst: allTrue(mined)}
			return nil
		}
		if h := uint64(head.Number); h > lastHead {
			lastHead = h
			if !allTrue(mined) && d.Replacements < pol.Pricing.MaxReplacements {
				base := new(big.Int)
				if head.BaseFee != nil {
					base = head.BaseFee.ToInt()
				}
				if err := g.replace(ctx, pol, attack, base, current, mined, d); err != nil {
					return err
				}
			}
		}
		select {
		case <-ctx.Done():
			return g.timedOut(ctx, d)
		case <-ticker.C:
		}
	}
}

// timedOut records a watch that ended with the attack still pending.
func (g *Guard) timedOut(ctx context.Context, d *Decision) error {
	d.Outcome = &Outcome{Attack: "pending"}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil // WatchTimeout: not an error
	}
	return fmt.Errorf("watch attack %s: %w", d.AttackTx, ctx.Err())
}

// replace re-signs every unmined protective transaction with the same nonce
// and bumped fees, and sends it.
func (g *Guard) replace(ctx context.Context, pol Policy, attack *types.Transaction, baseFee *big.Int, current []signedTx, mined []bool, d *Decision) error {
	fresh := PriceFor(attack, baseFee, pol.Pricing)
	for i := range current {
		if mined[i] {
			continue
		}
		old := current[i]
		fees := Bump(old.fees, fresh, pol.Pricing.MarginPercent)
		tx, err := g.sign(old.call, old.tx.Nonce(), old.tx.Gas(), fees, pol.Pricing.Legacy)
		if err != nil {
			return err
		}
		prev := old.tx.Hash()
		d.Txs = append(d.Txs, g.describe(tx, old.label+" (replacement)", &prev))
		if err := g.sendOne(ctx, d.FirstSeen, tx, &d.Txs[len(d.Txs)-1]); err != nil {
			return fmt.Errorf("replace %s: %w", prev, err)
		}
		current[i] = signedTx{tx: tx, label: old.label, fees: fees, call: old.call}
	}
	d.Replacements++
	g.log.Info("guard: replaced protective transactions with bumped fees", "id", d.ID, "replacements", d.Replacements)
	return nil
}

// finish records the outcome once the attack is mined.
func (g *Guard) finish(ctx context.Context, plan *simPlan, r *rpcReceipt, mined []bool, d *Decision) error {
	o := &Outcome{Attack: "reverted", AttackBlock: r.BlockNumber.ToInt().Uint64(), AttackIndex: uint(r.TransactionIndex)}
	if r.Status == 1 {
		o.Attack = "succeeded"
	}
	// Protective transactions mined in the attack's block are in the
	// receipts already; first means every nonce landed ahead of the attack.
	first := allTrue(mined)
	for _, nonce := range uniqueNonces(d.Txs) {
		ok := false
		for _, t := range d.Txs {
			if t.Nonce == nonce && t.Block != 0 && (t.Block < o.AttackBlock || (t.Block == o.AttackBlock && t.Index < o.AttackIndex)) {
				ok = true
			}
		}
		first = first && ok
	}
	o.ProtectedFirst = first
	total := new(big.Int)
	for a := range plan.victim {
		var b hexutil.Big
		if err := g.cfg.RPC.CallContext(ctx, &b, "eth_getBalance", a, hexutil.EncodeUint64(o.AttackBlock)); err != nil {
			d.Outcome = o
			return fmt.Errorf("eth_getBalance %s: %w", a, err)
		}
		total.Add(total, b.ToInt())
	}
	o.VictimETHAfter = total.String()
	d.Outcome = o
	return nil
}

func uniqueNonces(txs []ProtectiveTx) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for _, t := range txs {
		if !seen[t.Nonce] {
			seen[t.Nonce] = true
			out = append(out, t.Nonce)
		}
	}
	return out
}

func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return true
}
