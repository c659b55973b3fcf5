package attack

import "testing"

func TestSelfLiquidationVulnerable(t *testing.T) {
	_, _, res := runScenario(t, SelfLiquidation{}, Vulnerable, false)
	// The liquidator's 1,600,000 of collateral against 1,280,000 of debt
	// frees 252,631 USDx for a 100,000 stake.
	expectUnitsGain(t, res, "USDx", 150_000, 150_000)
}

func TestSelfLiquidationSafe(t *testing.T) {
	_, _, res := runScenario(t, SelfLiquidation{}, Safe, false)
	expectUnitsHeld(t, res)
}

func TestSelfLiquidationPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, SelfLiquidation{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}
