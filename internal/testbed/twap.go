package testbed

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
)

// WarmTwap makes twap ready to price token: it records a first observation,
// waits until `period` seconds of chain time have passed (mining empty
// blocks on manual-mining chains, whose blocks advance the clock by at
// least one second each; sleeping on auto-mining ones) and stores the first
// average. It is what a keeper does once at launch.
func WarmTwap(ctx context.Context, c *chain.Client, keeper chain.Account, twap, token *chain.Contract) error {
	if err := updateTwap(ctx, keeper, twap, token.Address); err != nil {
		return err
	}
	out, err := twap.Call(ctx, "period")
	if err != nil {
		return fmt.Errorf("TwapOracle.period: %w", err)
	}
	period, ok := out[0].(uint32)
	if !ok {
		return fmt.Errorf("TwapOracle.period returned %T", out[0])
	}
	if err := waitChainTime(ctx, c, keeper, twap, token, uint64(period)); err != nil {
		return err
	}
	if err := updateTwap(ctx, keeper, twap, token.Address); err != nil {
		return err
	}
	if _, err := twap.CallBig(ctx, "price", token.Address); err != nil {
		return fmt.Errorf("TwapOracle.price after warm-up: %w", err)
	}
	return nil
}

// twapUpdateGas is the gas limit for TwapOracle.update: estimation may run
// against a block in which the window has not elapsed yet (a cheap no-op),
// while the mined block stores a new average (new storage slots are costly
// on the devnet's fork).
const twapUpdateGas = 1_000_000

// updateTwap calls TwapOracle.update(token) with an explicit gas limit.
func updateTwap(ctx context.Context, keeper chain.Account, twap *chain.Contract, token common.Address) error {
	if _, err := twap.TransactOpts(ctx, keeper, chain.TxOpts{GasLimit: twapUpdateGas}, "update", token); err != nil {
		return fmt.Errorf("TwapOracle.update: %w", err)
	}
	return nil
}

// waitChainTime returns once a transaction mined in the next block would see
// at least `period` seconds since token's last observation.
func waitChainTime(ctx context.Context, c *chain.Client, keeper chain.Account, twap, token *chain.Contract, period uint64) error {
	obs, err := twap.Call(ctx, "observations", token.Address)
	if err != nil {
		return fmt.Errorf("TwapOracle.observations: %w", err)
	}
	if len(obs) < 2 {
		return fmt.Errorf("TwapOracle.observations returned %d values", len(obs))
	}
	var since uint64
	switch ts := obs[1].(type) {
	case uint32:
		since = uint64(ts)
	case *big.Int:
		since = ts.Uint64()
	default:
		return fmt.Errorf("TwapOracle.observations timestamp has type %T", obs[1])
	}
	for range 10_000 {
		head, err := c.Backend().HeaderByNumber(ctx, nil)
		if err != nil {
			return fmt.Errorf("eth_getBlockByNumber latest: %w", err)
		}
		// Not head.Time+1: Anvil may seal consecutive on-demand blocks
		// with the same timestamp.
		if head.Time >= since+period {
			return nil
		}
		if err := c.Mine(ctx); err != nil {
			return err
		}
		next, err := c.Backend().HeaderByNumber(ctx, nil)
		if err != nil {
			return fmt.Errorf("eth_getBlockByNumber latest: %w", err)
		}
		if next.Number.Cmp(head.Number) == 0 {
			// An automining node: a block comes with a transaction, so
			// send the keeper a zero-value transfer to itself. (Waiting for
			// the wall clock would not do: a fast automining chain's
			// timestamps run ahead of it.)
			if _, err := c.Transact(ctx, keeper, &keeper.Address, nil, chain.TxOpts{}); err != nil {
				return fmt.Errorf("advance chain time: %w", err)
			}
		}
	}
	return fmt.Errorf("chain time did not advance %d seconds", period)
}
