package attack

import (
	"testing"
)

// walletState returns the wallet's ETH and whether the attacker owns it.
func walletState(t *testing.T, env *Env, staged Staged) (string, bool) {
	t.Helper()
	ctx := testCtx(t)
	s := staged.(*initializerStaged)
	bal, err := ethBalance(ctx, env.Client, s.wallet.Address)
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.wallet.Call(ctx, "isOwner", env.Attacker.Address)
	if err != nil {
		t.Fatal(err)
	}
	return bal.String(), out[0].(bool)
}

func TestInitializerTakeoverVulnerable(t *testing.T) {
	env, staged, res := runScenario(t, InitializerTakeover{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("attack failed on the vulnerable wallet")
	}
	atLeast(t, "attacker profit", res.AttackerProfit, ether("100"))
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("100"))
	bal, owned := walletState(t, env, staged)
	if bal != "0" || !owned {
		t.Errorf("wallet balance %s, attacker owner %v; want drained and taken over", bal, owned)
	}
}

func TestInitializerTakeoverSafe(t *testing.T) {
	env, staged, res := runScenario(t, InitializerTakeover{}, Safe, false)
	expectFailed(t, res)
	bal, owned := walletState(t, env, staged)
	if bal != ether("100").String() || owned {
		t.Errorf("wallet balance %s, attacker owner %v; want 100 ETH intact and no takeover", bal, owned)
	}
}

func TestInitializerTakeoverPausedByGuardian(t *testing.T) {
	env, staged, res := runScenario(t, InitializerTakeover{}, Vulnerable, true)
	expectFailed(t, res)
	bal, owned := walletState(t, env, staged)
	if bal != ether("100").String() || owned {
		t.Errorf("wallet balance %s, attacker owner %v; want 100 ETH intact and no takeover", bal, owned)
	}
}
