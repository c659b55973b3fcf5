package devnet

import (
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
)

// TestReceiptImpliesLatestState: once eth_getTransactionReceipt or
// eth_getTransactionByHash reports a transaction mined in block N, the
// "latest" block is at least N, so state reads see the transaction. geth
// writes a block's transaction index before it moves the in-memory head, so
// a client polling for receipts while a block is being sealed could
// otherwise read the previous state. Several pollers per transaction widen
// the window the race needs.
func TestReceiptImpliesLatestState(t *testing.T) {
	n := startNode(t, Config{})
	ctx := testCtx(t)
	c, err := ethclient.DialContext(ctx, n.HTTPURL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	from := n.Accounts()[0]
	const txs, pollers = 100, 4
	var stale []string
	var mu sync.Mutex
	for i := range txs {
		to := common.BigToAddress(big.NewInt(int64(0x10000 + i)))
		tx := transfer(t, n, from, uint64(i), to)
		var wg sync.WaitGroup
		for p := range pollers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					method := "eth_getTransactionByHash"
					if p%2 == 0 {
						r, err := c.TransactionReceipt(ctx, tx.Hash())
						if errors.Is(err, ethereum.NotFound) {
							continue
						}
						if err != nil {
							mu.Lock()
							stale = append(stale, "receipt: "+err.Error())
							mu.Unlock()
							return
						}
						method = "eth_getTransactionReceipt (block " + r.BlockNumber.String() + ")"
					} else {
						_, pending, err := c.TransactionByHash(ctx, tx.Hash()) // pending is false once it has a block
						if errors.Is(err, ethereum.NotFound) || (err == nil && pending) {
							continue
						}
						if err != nil {
							mu.Lock()
							stale = append(stale, "tx: "+err.Error())
							mu.Unlock()
							return
						}
					}
					bal, err := c.BalanceAt(ctx, to, nil)
					if err == nil && bal.Sign() == 0 {
						mu.Lock()
						stale = append(stale, "tx "+tx.Hash().Hex()+" reported mined by "+method+" but latest state lacks it")
						mu.Unlock()
					}
					return
				}
			}()
		}
		if err := c.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		if ctx.Err() != nil {
			t.Fatal(ctx.Err())
		}
	}
	if len(stale) > 0 {
		t.Fatalf("%d stale reads, first: %s", len(stale), stale[0])
	}
}

// TestCommitIncludesEveryPooledTx: one Commit seals every executable
// transaction sent before it that fits the gas limit, however long executing
// them takes. geth's block builder stops filling after Miner.Recommit (2 s by
// default), which on a loaded machine left some of these compute-heavy
// transactions for a later block, reordering them behind transactions sent
// afterwards.
func TestCommitIncludesEveryPooledTx(t *testing.T) {
	n := startNode(t, Config{Mining: MineManual})
	ctx := testCtx(t)
	// Creation code that counts 34,000 down to zero (about 0.9M gas) and
	// deploys nothing.
	burn := []byte{0x61, 0x84, 0xd0, 0x5b, 0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x03, 0x57, 0x00}
	const senders, each = 5, 10
	for s := range senders {
		for i := range uint64(each) {
			tx := signTx(t, n, n.Accounts()[s], i, nil, new(big.Int), 1_000_000, burn)
			if err := n.Client().SendTransaction(ctx, tx); err != nil {
				t.Fatalf("send: %v", err)
			}
		}
	}
	hash, err := n.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	blk, err := n.Client().BlockByHash(ctx, hash)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(blk.Transactions()); got != senders*each || blk.GasUsed() < 40_000_000 {
		t.Fatalf("block %d holds %d transactions (%d gas), want all %d", blk.NumberU64(), got, blk.GasUsed(), senders*each)
	}
	if pending, queued := n.Eth().TxPool().Stats(); pending+queued != 0 {
		t.Fatalf("pool still holds %d pending, %d queued transactions", pending, queued)
	}
}
