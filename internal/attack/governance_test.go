package attack

import (
	"testing"
)

func TestGovernanceTakeoverVulnerable(t *testing.T) {
	_, staged, res := runScenario(t, GovernanceTakeover{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("attack failed on the vulnerable DAO")
	}
	// Treasury: 4 × 25 ETH + 100 WETH.
	atLeast(t, "attacker profit", res.AttackerProfit, ether("199"))
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("200"))
	left, err := staged.(*governanceStaged).treasury(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Sign() != 0 {
		t.Errorf("treasury still holds %s wei, want drained", left)
	}
}

func TestGovernanceTakeoverSafe(t *testing.T) {
	_, staged, res := runScenario(t, GovernanceTakeover{}, Safe, false)
	expectFailed(t, res)
	left, err := staged.(*governanceStaged).treasury(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Cmp(ether("200")) != 0 {
		t.Errorf("safe treasury holds %s wei, want exactly 200 ETH", left)
	}
}

func TestGovernanceTakeoverPausedByGuardian(t *testing.T) {
	_, staged, res := runScenario(t, GovernanceTakeover{}, Vulnerable, true)
	expectFailed(t, res)
	left, err := staged.(*governanceStaged).treasury(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Cmp(ether("200")) != 0 {
		t.Errorf("paused treasury holds %s wei, want exactly 200 ETH", left)
	}
}
