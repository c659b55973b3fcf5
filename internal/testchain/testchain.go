// Package testchain gives tests a fresh, real chain: the embedded devnet
// (internal/devnet) in manual-mining mode on a free loopback port, with
// funded accounts and a chain.Client wired to it that mines a block after
// each Transact. Every package's tests use it, so there is one devnet and one
// way to get a chain in tests.
package testchain

import (
	"context"
	"fmt"
	"testing"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/devnet"
)

// Env is a running test chain.
type Env struct {
	// Client sends transactions over the devnet's in-process RPC; it mines a
	// block after each Transact.
	Client *chain.Client
	// Accounts are the devnet's funded dev accounts (1,000,000 ETH each).
	// Accounts[0] is the conventional deployer.
	Accounts []chain.Account
	// Node is the devnet itself (RPC URLs, Commit, Fork, tracing).
	Node *devnet.Node
}

// Commit mines a block with the pending transactions.
func (e *Env) Commit(ctx context.Context) error {
	_, err := e.Node.Commit(ctx)
	return err
}

// New starts a devnet for the duration of the test.
func New(t testing.TB) *Env {
	t.Helper()
	env, err := Start(context.Background(), 10)
	if err != nil {
		t.Fatalf("start test chain: %v", err)
	}
	t.Cleanup(func() { _ = env.Close() })
	return env
}

// Start starts a devnet with n funded accounts; callers must Close it.
func Start(ctx context.Context, n int) (*Env, error) {
	node, err := devnet.Start(ctx, devnet.Config{Accounts: n, Mining: devnet.MineManual})
	if err != nil {
		return nil, fmt.Errorf("test chain: %w", err)
	}
	env := &Env{Node: node}
	for _, a := range node.Accounts() {
		env.Accounts = append(env.Accounts, chain.NewAccount(a.Key))
	}
	c, err := chain.New(ctx, node.Client(), chain.WithMiner(env.Commit), chain.WithRevertDecoder(contracts.RevertReason))
	if err != nil {
		_ = node.Close()
		return nil, fmt.Errorf("test chain client: %w", err)
	}
	env.Client = c
	return env, nil
}

// Close stops the chain.
func (e *Env) Close() error { return e.Node.Close() }
