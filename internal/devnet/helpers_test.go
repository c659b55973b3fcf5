package devnet

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// startNode starts a devnet on a free port and closes it when the test ends.
func startNode(t *testing.T, cfg Config) *Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := Start(ctx, cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return n
}

// testCtx returns a context bounded well under the go test timeout.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// signTx signs a dynamic-fee transaction from acc.
func signTx(t *testing.T, n *Node, acc Account, nonce uint64, to *common.Address, value *big.Int, gas uint64, data []byte) *types.Transaction {
	t.Helper()
	tx, err := types.SignNewTx(acc.Key, types.LatestSignerForChainID(n.ChainID()), &types.DynamicFeeTx{
		ChainID:   n.ChainID(),
		Nonce:     nonce,
		GasTipCap: big.NewInt(1_000_000_000),
		GasFeeCap: big.NewInt(10_000_000_000),
		Gas:       gas,
		To:        to,
		Value:     value,
		Data:      data,
	})
	if err != nil {
		t.Fatalf("sign tx: %v", err)
	}
	return tx
}

// transfer signs a plain 1 wei ETH transfer.
func transfer(t *testing.T, n *Node, from Account, nonce uint64, to common.Address) *types.Transaction {
	t.Helper()
	return signTx(t, n, from, nonce, &to, big.NewInt(1), 21_000, nil)
}

// waitReceipt polls until the receipt of hash exists.
func waitReceipt(ctx context.Context, t *testing.T, c *ethclient.Client, hash common.Hash) *types.Receipt {
	t.Helper()
	for {
		r, err := c.TransactionReceipt(ctx, hash)
		if err == nil {
			return r
		}
		if !errors.Is(err, ethereum.NotFound) {
			t.Fatalf("receipt %s: %v", hash, err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("receipt %s: %v", hash, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// callAndLogInit returns init code deploying a contract whose code CALLs
// target with no value and data, then emits LOG1(topic 0x01) with the
// 32-byte word 42 as data.
func callAndLogInit(target common.Address) []byte {
	runtime := []byte{
		0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, // retSize retOff argSize argOff value = 0
		0x73, // PUSH20 target
	}
	runtime = append(runtime, target.Bytes()...)
	runtime = append(runtime,
		0x5a, 0xf1, 0x50, // GAS CALL POP
		0x60, 0x2a, 0x60, 0x00, 0x52, // MSTORE(0, 42)
		0x60, 0x01, 0x60, 0x20, 0x60, 0x00, 0xa1, // LOG1(0, 32, topic 1)
		0x00, // STOP
	)
	const initLen = 11
	init := []byte{
		0x60, byte(len(runtime)), // PUSH1 size
		0x80,          // DUP1
		0x60, initLen, // PUSH1 code offset
		0x60, 0x00, // PUSH1 0
		0x39,       // CODECOPY(0, initLen, size)
		0x60, 0x00, // PUSH1 0
		0xf3, // RETURN(0, size)
	}
	return append(init, runtime...)
}
