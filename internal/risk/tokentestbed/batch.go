package tokentestbed

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
)

// batch sends many transactions without waiting, then mines until every one
// has a receipt. Transactions of one sender execute in the order they were
// added; transactions of different senders in one batch must not depend on
// each other (the miner orders senders by fee).
type batch struct {
	c      *chain.Client
	txs    []*types.Transaction
	what   []string
	revert []bool // the transaction must revert
}

func newBatch(c *chain.Client) *batch { return &batch{c: c} }

// send adds a call of method on k. A zero gas limit is estimated, which is
// only right when the call does not depend on an earlier transaction of the
// batch.
func (b *batch) send(ctx context.Context, from chain.Account, k *chain.Contract, gas uint64, value *big.Int, what, method string, args ...any) error {
	_, err := b.sendExpect(ctx, false, from, k, gas, value, what, method, args...)
	return err
}

// sendExpect is send for a call that must revert when wantRevert is set;
// it returns the transaction.
func (b *batch) sendExpect(ctx context.Context, wantRevert bool, from chain.Account, k *chain.Contract, gas uint64, value *big.Int, what, method string, args ...any) (*types.Transaction, error) {
	tx, err := k.Send(ctx, from, chain.TxOpts{GasLimit: gas, Value: value}, method, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	b.txs = append(b.txs, tx)
	b.what = append(b.what, what)
	b.revert = append(b.revert, wantRevert)
	return tx, nil
}

// deploy adds the deployment of artifact name with constructor args and
// returns the address it will have. The gas is estimated, so the
// constructor must not depend on an earlier transaction of the batch.
func (b *batch) deploy(ctx context.Context, from chain.Account, name string, args ...any) (common.Address, error) {
	art, err := contracts.Load(name)
	if err != nil {
		return common.Address{}, fmt.Errorf("deploy %s: %w", name, err)
	}
	input, err := art.ABI.Pack("", args...)
	if err != nil {
		return common.Address{}, fmt.Errorf("deploy %s: pack constructor args: %w", name, err)
	}
	data := append(append([]byte{}, art.Bytecode...), input...)
	tx, err := b.c.SendTx(ctx, from, nil, data, chain.TxOpts{})
	if err != nil {
		return common.Address{}, fmt.Errorf("deploy %s: %w", name, err)
	}
	b.txs = append(b.txs, tx)
	b.what = append(b.what, "deploy "+name)
	b.revert = append(b.revert, false)
	return crypto.CreateAddress(from.Address, tx.Nonce()), nil
}

// pay adds a plain ETH transfer.
func (b *batch) pay(ctx context.Context, from chain.Account, to common.Address, value *big.Int) error {
	tx, err := b.c.SendTx(ctx, from, &to, nil, chain.TxOpts{GasLimit: 21_000, Value: value})
	if err != nil {
		return fmt.Errorf("pay %s: %w", to.Hex(), err)
	}
	b.txs = append(b.txs, tx)
	b.what = append(b.what, "pay "+to.Hex())
	b.revert = append(b.revert, false)
	return nil
}

// wait mines until every transaction of the batch is in a block and fails,
// naming the step, on the first reverted one. The batch is empty afterwards.
func (b *batch) wait(ctx context.Context) error {
	defer func() { b.txs, b.what, b.revert = nil, nil, nil }()
	done := make([]bool, len(b.txs))
	left := len(b.txs)
	for round := 0; left > 0; round++ {
		if err := b.c.Mine(ctx); err != nil {
			return err
		}
		for i, tx := range b.txs {
			if done[i] {
				continue
			}
			r, err := b.c.Backend().TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				if errors.Is(err, ethereum.NotFound) {
					continue
				}
				return fmt.Errorf("eth_getTransactionReceipt %s (%s): %w", tx.Hash(), b.what[i], err)
			}
			failed := r.Status != types.ReceiptStatusSuccessful
			switch {
			case failed && !b.revert[i]:
				return fmt.Errorf("%s: tx %s: %w (gas used %d of %d)", b.what[i], tx.Hash(), chain.ErrReverted, r.GasUsed, tx.Gas())
			case !failed && b.revert[i]:
				return fmt.Errorf("%s: tx %s succeeded but must revert", b.what[i], tx.Hash())
			}
			done[i] = true
			left--
		}
		if left == 0 {
			break
		}
		if round > 2000 {
			return fmt.Errorf("%d transactions still unmined after %d blocks (first: %s)", left, round, b.firstLeft(done))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %d transactions: %w", left, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

func (b *batch) firstLeft(done []bool) string {
	for i, d := range done {
		if !d {
			return b.what[i]
		}
	}
	return ""
}
