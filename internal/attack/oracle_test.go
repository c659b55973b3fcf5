package attack

import (
	"testing"
)

func TestOracleManipulationVulnerable(t *testing.T) {
	_, _, res := runScenario(t, OracleManipulation{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("attack failed on the vulnerable variant")
	}
	// The market held 3,000 WETH (2,000 deployer + 2 x 500 honest); the
	// attacker takes all of it for a few dozen WETH of swap fees and slippage.
	atLeast(t, "attacker profit", res.AttackerProfit, ether("2800"))
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("2900"))
}

func TestOracleManipulationSafe(t *testing.T) {
	_, _, res := runScenario(t, OracleManipulation{}, Safe, false)
	expectFailed(t, res)
	atMost(t, "protocol loss", res.ProtocolLoss, ether("0"))
}

func TestOracleManipulationPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, OracleManipulation{}, Vulnerable, true)
	expectFailed(t, res)
}
