package attack

import "testing"

func TestHookTokenReentrancyVulnerable(t *testing.T) {
	_, _, res := runScenario(t, HookTokenReentrancy{}, Vulnerable, false)
	// The honest suppliers' 100 imBTCx (the rounds stop when the next one
	// would overdraw the market).
	expectUnitsGain(t, res, "imBTCx", 90, 90)
}

func TestHookTokenReentrancySafe(t *testing.T) {
	_, _, res := runScenario(t, HookTokenReentrancy{}, Safe, false)
	expectUnitsHeld(t, res)
}

func TestHookTokenReentrancyPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, HookTokenReentrancy{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}
