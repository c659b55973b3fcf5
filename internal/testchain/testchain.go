// Package testchain gives tests a fresh, real in-process chain with funded
// accounts and a chain.Client wired to it. Every package's tests use it, so
// there is one way to get a chain in tests.
package testchain

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient/simulated"

	"github.com/aegis-defi/aegis/internal/chain"
)

// Env is a running test chain.
type Env struct {
	// Client sends transactions; it mines a block after each Transact.
	Client *chain.Client
	// Accounts are funded with 1,000,000 ETH each. Accounts[0] is the
	// conventional deployer.
	Accounts []chain.Account
	backend  *simulated.Backend
}

// Commit mines a block with the pending transactions.
func (e *Env) Commit(ctx context.Context) error {
	e.backend.Commit()
	return nil
}

// New starts a chain for the duration of the test.
func New(t testing.TB) *Env {
	t.Helper()
	env, err := Start(10)
	if err != nil {
		t.Fatalf("start test chain: %v", err)
	}
	t.Cleanup(func() { _ = env.Close() })
	return env
}

// Start starts a chain with n funded accounts; callers must Close it.
func Start(n int) (*Env, error) {
	accts := make([]chain.Account, n)
	alloc := types.GenesisAlloc{}
	bal := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	for i := range accts {
		accts[i] = chain.AccountFromSeed(fmt.Sprintf("aegis-test-%d", i))
		alloc[accts[i].Address] = types.Account{Balance: bal}
	}
	b := simulated.NewBackend(alloc, simulated.WithBlockGasLimit(60_000_000))
	env := &Env{Accounts: accts, backend: b}
	c, err := chain.New(context.Background(), b.Client(), chain.WithMiner(env.Commit))
	if err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("test chain client: %w", err)
	}
	env.Client = c
	return env, nil
}

// Close stops the chain.
func (e *Env) Close() error { return e.backend.Close() }
