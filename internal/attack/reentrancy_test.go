package attack

import (
	"testing"

	"github.com/aegis-defi/aegis/internal/chain"
)

func TestReentrancyVulnerable(t *testing.T) {
	_, staged, res := runScenario(t, Reentrancy{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("attack failed on the vulnerable bank")
	}
	atLeast(t, "attacker profit", res.AttackerProfit, ether("49"))
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("50"))
	left, err := staged.(*reentrancyStaged).bankBalance(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Sign() != 0 {
		t.Errorf("bank still holds %s wei, want drained", left)
	}
}

func TestReentrancySafe(t *testing.T) {
	_, staged, res := runScenario(t, Reentrancy{}, Safe, false)
	expectFailed(t, res)
	left, err := staged.(*reentrancyStaged).bankBalance(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Cmp(ether("50")) != 0 {
		t.Errorf("safe bank holds %s wei, want exactly 50 ETH", left)
	}
}

func TestReentrancyPausedByGuardian(t *testing.T) {
	_, staged, res := runScenario(t, Reentrancy{}, Vulnerable, true)
	expectFailed(t, res)
	left, err := staged.(*reentrancyStaged).bankBalance(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Cmp(ether("50")) != 0 {
		t.Errorf("paused bank holds %s wei, want exactly 50 ETH", left)
	}
}

// TestReentrancyCrossFunction exercises the second path: re-entering
// transfer during withdrawAll parks a duplicate of the stake with an
// accomplice. The safe bank's shared lock reverts the whole attempt.
func TestReentrancyCrossFunction(t *testing.T) {
	for _, tc := range []struct {
		bank      string
		wantTwice bool
	}{{"VulnerableBank", true}, {"SafeBank", false}} {
		t.Run(tc.bank, func(t *testing.T) {
			ctx := testCtx(t)
			env := newTestEnv(t)
			c := env.Client
			bank, err := deployNamed(ctx, c, env.Deployer, tc.bank, env.Guardian.Address)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range env.Users[:reentrancyUsers] {
				if err := transact(ctx, bank, u, reentrancyUserDeposit(), "deposit", "deposit"); err != nil {
					t.Fatal(err)
				}
			}
			attacker, err := deployNamed(ctx, c, env.Attacker, "ReentrancyAttacker")
			if err != nil {
				t.Fatal(err)
			}
			accomplice := chain.AccountFromSeed("aegis-reentrancy-accomplice").Address
			err = transact(ctx, attacker, env.Attacker, reentrancyStake(), "cross-function attack", "attackCrossFunction", bank.Address, accomplice)
			credited, cerr := bank.CallBig(ctx, "balanceOf", accomplice)
			if cerr != nil {
				t.Fatal(cerr)
			}
			t.Logf("%s: attack err=%v, accomplice credited %.2f ETH", tc.bank, err, chain.ToEther(credited))
			if tc.wantTwice {
				if err != nil {
					t.Fatalf("cross-function attack reverted: %v", err)
				}
				if credited.Cmp(reentrancyStake()) != 0 {
					t.Errorf("accomplice credited %s wei, want the 1 ETH stake duplicated", credited)
				}
			} else if err == nil || credited.Sign() != 0 {
				t.Errorf("safe bank: attack err=%v, accomplice credited %s; want revert and nothing", err, credited)
			}
		})
	}
}
