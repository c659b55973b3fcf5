package attack

import "testing"

func TestReadOnlyReentrancyVulnerable(t *testing.T) {
	_, _, res := runScenario(t, ReadOnlyReentrancy{}, Vulnerable, false)
	// The lender's 400,000 USDx for LP fairly worth 200,000 USDx.
	expectUnitsGain(t, res, "USDx", 199_000, 199_000)
}

func TestReadOnlyReentrancySafe(t *testing.T) {
	_, _, res := runScenario(t, ReadOnlyReentrancy{}, Safe, false)
	u := unitsOf(t, res)
	// The borrow is capped at 80% of the collateral: the attacker is out
	// ~40,000 USDx and the lender keeps collateral worth more than the loan.
	if res.Succeeded {
		t.Error("attack succeeded on the safe pool")
	}
	atMost(t, "attacker profit (USDx)", u.AttackerProfit, tokens(-39_000))
	atMost(t, "protocol loss (USDx)", u.ProtocolLoss, tokens(-39_000))
}

func TestReadOnlyReentrancyPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, ReadOnlyReentrancy{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}
