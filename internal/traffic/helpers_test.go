package traffic

import (
	"context"
	"testing"

	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// newTestGenerator deploys the testbed on a fresh devnet and returns a
// generator funded by the third dev account.
func newTestGenerator(t *testing.T, cfg Config) (*Generator, *testchain.Env) {
	t.Helper()
	env := testchain.New(t)
	tb, err := testbed.Deploy(context.Background(), env.Client, env.Accounts[0], env.Accounts[1], testbed.Options{})
	if err != nil {
		t.Fatalf("deploy testbed: %v", err)
	}
	g, err := New(cfg, env.Client, tb, env.Accounts[2], nil)
	if err != nil {
		t.Fatal(err)
	}
	return g, env
}
