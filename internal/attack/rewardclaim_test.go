package attack

import "testing"

func TestRewardDoubleClaimVulnerable(t *testing.T) {
	_, _, res := runScenario(t, RewardDoubleClaim{}, Vulnerable, false)
	// 200 x 100 LVLx paid, 100 of which were owed.
	expectUnitsGain(t, res, "LVLx", 19_900, 19_900)
	if got := res.Units.AttackerProfit; got.Cmp(tokens(19_900)) != 0 {
		t.Errorf("attacker profit = %s, want exactly 19,900 LVLx", got)
	}
}

func TestRewardDoubleClaimSafe(t *testing.T) {
	_, _, res := runScenario(t, RewardDoubleClaim{}, Safe, false)
	expectUnitsHeld(t, res)
}

func TestRewardDoubleClaimPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, RewardDoubleClaim{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}
