package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

// swapsJob deploys the aegis DeFi testbed on the node under test (untimed)
// and pre-signs env.Txs router swaps (swapExactETHForTokens on the main
// TKN/WETH pool, sizes cycling over 0.01–0.5 ETH) from accounts 2…; the job
// sends them like transfersJob, waits for every receipt and, when traced,
// runs debug_traceTransaction with callTracer on each.
func swapsJob(ctx context.Context, env *Env, traced bool) (Job, error) {
	if len(env.Accounts) < 3 {
		return nil, errors.New("swaps need at least three accounts")
	}
	mine := func(ctx context.Context) error {
		if env.Automine {
			return nil
		}
		return env.Mine(ctx)
	}
	c, err := chain.New(ctx, ethclient.NewClient(env.Client), chain.WithMiner(mine))
	if err != nil {
		return nil, fmt.Errorf("swaps: %w", err)
	}
	deployer := chain.NewAccount(env.Accounts[0].Key)
	guardian := chain.NewAccount(env.Accounts[1].Key)
	tb, err := testbed.Deploy(ctx, c, deployer, guardian, testbed.Options{})
	if err != nil {
		return nil, fmt.Errorf("swaps: deploy testbed: %w", err)
	}
	head, err := c.Backend().HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("swaps: eth_getBlockByNumber: %w", err)
	}
	deadline := new(big.Int).SetUint64(head.Time + 3600)
	path := []common.Address{tb.WETH.Address, tb.TKN.Address}
	router := tb.AMM.Router
	senders := env.Accounts[2:]
	signer := types.LatestSignerForChainID(env.ChainID)
	txs := make([]*types.Transaction, env.Txs)
	for i := range env.Txs {
		from := senders[i%len(senders)]
		data, err := router.Pack("swapExactETHForTokens", big.NewInt(0), path, from.Address, deadline)
		if err != nil {
			return nil, err
		}
		value := new(big.Int).Mul(big.NewInt(int64(1+i%50)), big.NewInt(1e16))
		tx, err := types.SignNewTx(from.Key, signer, &types.DynamicFeeTx{
			ChainID:   env.ChainID,
			Nonce:     uint64(i / len(senders)),
			GasTipCap: big.NewInt(1_000_000_000),
			GasFeeCap: big.NewInt(100_000_000_000),
			Gas:       400_000,
			To:        &router.Address,
			Value:     value,
			Data:      data,
		})
		if err != nil {
			return nil, fmt.Errorf("sign swap %d: %w", i, err)
		}
		txs[i] = tx
	}
	return presignedJob(env, txs, traced)
}
