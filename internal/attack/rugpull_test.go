package attack

import (
	"testing"
)

func TestRugPullVulnerable(t *testing.T) {
	_, _, res := runScenario(t, RugPull{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("rug pull failed on the vulnerable variant")
	}
	// Buyers paid 200 WETH; the pool held 300 with the attacker's seed.
	// The attacker recovers nearly all of it, net of its 100 WETH seed.
	atLeast(t, "attacker profit", res.AttackerProfit, ether("199"))
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("199.9"))
}

func TestRugPullSafe(t *testing.T) {
	_, _, res := runScenario(t, RugPull{}, Safe, false)
	expectFailed(t, res)
	atMost(t, "protocol loss", res.ProtocolLoss, ether("0"))
	for i, r := range res.Receipts {
		// mint, dump and remove revert; the two approvals are harmless.
		wantOK := i == 1 || i == 3
		if (r.Status == 1) != wantOK {
			t.Errorf("tx %d status %d", i, r.Status)
		}
	}
}
