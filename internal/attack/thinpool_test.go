package attack

import "testing"

func TestThinPoolOracleVulnerable(t *testing.T) {
	_, _, res := runScenario(t, ThinPoolOracle{}, Vulnerable, false)
	// All 2,000,000 USDx of the venue for 300,000 USDx of buys; the MNGOx
	// left as collateral is worth ~19,000 USDx at the fair price.
	expectUnitsGain(t, res, "USDx", 1_600_000, 1_900_000)
	if len(res.Receipts) != 5 {
		t.Fatalf("%d exploit transactions, want 5", len(res.Receipts))
	}
	for i := 1; i < len(res.Receipts); i++ {
		if res.Receipts[i].BlockNumber.Cmp(res.Receipts[i-1].BlockNumber) <= 0 {
			t.Errorf("tx %d mined in block %v, not after tx %d's %v: the manipulation must span blocks",
				i, res.Receipts[i].BlockNumber, i-1, res.Receipts[i-1].BlockNumber)
		}
	}
}

func TestThinPoolOracleSafe(t *testing.T) {
	_, _, res := runScenario(t, ThinPoolOracle{}, Safe, false)
	u := unitsOf(t, res)
	if res.Succeeded {
		t.Error("attack succeeded against the reference-priced venue")
	}
	// The buys went through at inflated prices: the attacker is out its
	// 300,000 USDx; the venue lent nothing.
	atMost(t, "attacker profit (USDx)", u.AttackerProfit, tokens(-299_000))
	atMost(t, "protocol loss (USDx)", u.ProtocolLoss, tokens(0))
}

func TestThinPoolOraclePausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, ThinPoolOracle{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}
