package attack

import (
	"testing"
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
