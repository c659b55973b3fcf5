package attack

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// newTestEnv starts a test chain and assigns roles: Accounts[0] deploys,
// [1] guards, [2] attacks, the rest are users.
func newTestEnv(t *testing.T) *Env {
	t.Helper()
	tc := testchain.New(t)
	if len(tc.Accounts) < 7 {
		t.Fatalf("test chain has %d accounts, want at least 7", len(tc.Accounts))
	}
	return &Env{
		Client:   tc.Client,
		Deployer: tc.Accounts[0],
		Guardian: tc.Accounts[1],
		Attacker: tc.Accounts[2],
		Users:    tc.Accounts[3:],
	}
}

// testCtx returns a context bounded well below the test timeout.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// runScenario sets s up in variant v, optionally has the guardian pause
// every target first, and executes the exploit.
func runScenario(t *testing.T, s Scenario, v Variant, pauseFirst bool) (*Env, Staged, *Result) {
	t.Helper()
	ctx := testCtx(t)
	env := newTestEnv(t)
	staged, err := s.Setup(ctx, env, v)
	if err != nil {
		t.Fatalf("setup %s/%s: %v", s.Info().Name, v, err)
	}
	if pauseFirst {
		pauseTargets(t, ctx, env, staged)
	}
	res, err := Execute(ctx, env.Client, staged, nil)
	if err != nil {
		t.Fatalf("execute %s/%s: %v", s.Info().Name, v, err)
	}
	t.Logf("%s/%s (paused first: %v): succeeded=%v profit=%.6f ETH loss=%.6f ETH txs=%d",
		s.Info().Name, v, pauseFirst, res.Succeeded, chain.ToEther(res.AttackerProfit), chain.ToEther(res.ProtocolLoss), len(res.Txs))
	for i, r := range res.Receipts {
		t.Logf("  tx %d: status=%d gas=%d", i, r.Status, r.GasUsed)
	}
	return env, staged, res
}

// pauseTargets has the guardian pause every pausable target.
func pauseTargets(t *testing.T, ctx context.Context, env *Env, staged Staged) {
	t.Helper()
	guarded, err := bindNamed(env.Client, "Guarded", staged.Targets()[0].Address)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range staged.Targets() {
		if !tg.Pausable {
			continue
		}
		k := env.Client.Bind(tg.Address, guarded.ABI)
		if _, err := k.Transact(ctx, env.Guardian, "pause"); err != nil {
			t.Fatalf("guardian pause %s: %v", tg.Name, err)
		}
	}
}

// ether parses a decimal ETH amount for assertions.
func ether(s string) *big.Int { return chain.Wei(s) }

// atLeast fails the test when got < want.
func atLeast(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) < 0 {
		t.Errorf("%s = %s wei (%.6f ETH), want >= %.6f ETH", what, got, chain.ToEther(got), chain.ToEther(want))
	}
}

// atMost fails the test when got > want.
func atMost(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) > 0 {
		t.Errorf("%s = %s wei (%.6f ETH), want <= %.6f ETH", what, got, chain.ToEther(got), chain.ToEther(want))
	}
}

// expectFailed asserts the attack did not succeed and made no profit.
func expectFailed(t *testing.T, res *Result) {
	t.Helper()
	if res.Succeeded {
		t.Errorf("attack succeeded, want failure")
	}
	atMost(t, "attacker profit", res.AttackerProfit, new(big.Int))
}
