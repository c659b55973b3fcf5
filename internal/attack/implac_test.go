package attack

import "testing"

func TestProxyUnprotectedSetterVulnerable(t *testing.T) {
	_, _, res := runScenario(t, ProxyUnprotectedSetter{}, Vulnerable, false)
	// The whole 1,000,000 USDx pool for 10 GOVx (50 USDx).
	expectUnitsGain(t, res, "USDx", 999_900, 999_900)
}

func TestProxyUnprotectedSetterSafe(t *testing.T) {
	_, _, res := runScenario(t, ProxyUnprotectedSetter{}, Safe, false)
	expectUnitsHeld(t, res)
	for i, r := range res.Receipts {
		if r.Status != 0 {
			t.Errorf("tx %d succeeded on the safe implementation", i)
		}
	}
}

func TestProxyUnprotectedSetterPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, ProxyUnprotectedSetter{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}
