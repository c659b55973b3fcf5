package attack

import (
	"testing"
)

func TestVaultInflationVulnerable(t *testing.T) {
	_, staged, res := runScenario(t, VaultInflation{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("attack failed on the vulnerable vault")
	}
	// The victim's 50 WETH deposit minted 0 shares; the attacker's single
	// share redeems it all.
	atLeast(t, "attacker profit", res.AttackerProfit, ether("49.99"))
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("50"))
	worth, err := staged.(*inflationStaged).victimShareValue(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if worth.Sign() != 0 {
		t.Errorf("victim's shares are worth %s wei, want 0", worth)
	}
}

func TestVaultInflationSafe(t *testing.T) {
	_, staged, res := runScenario(t, VaultInflation{}, Safe, false)
	expectFailed(t, res)
	// The attacker's donation is not counted: the victim's shares redeem for
	// exactly the 50 WETH deposited, and the attacker is out the donation.
	atMost(t, "attacker profit", res.AttackerProfit, ether("-49.99"))
	atMost(t, "protocol loss", res.ProtocolLoss, ether("0"))
	worth, err := staged.(*inflationStaged).victimShareValue(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if worth.Cmp(ether("50")) != 0 {
		t.Errorf("victim's shares are worth %s wei, want exactly 50 ETH", worth)
	}
}

func TestVaultInflationPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, VaultInflation{}, Vulnerable, true)
	expectFailed(t, res)
	atMost(t, "protocol loss", res.ProtocolLoss, ether("0"))
}
