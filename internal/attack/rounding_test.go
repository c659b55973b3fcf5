package attack

import "testing"

func TestEmptyMarketRoundingVulnerable(t *testing.T) {
	_, _, res := runScenario(t, EmptyMarketRounding{}, Vulnerable, false)
	// All 500,000 USDx of the lenders, for 1 wei of WBTCx left behind.
	expectUnitsGain(t, res, "USDx", 499_999, 499_999)
}

func TestEmptyMarketRoundingSafe(t *testing.T) {
	_, _, res := runScenario(t, EmptyMarketRounding{}, Safe, false)
	expectUnitsHeld(t, res)
}

func TestEmptyMarketRoundingPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, EmptyMarketRounding{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}
