package traffic

import (
	"context"
	"log/slog"
	"testing"
)

// TestLiquidationCycle drives the risky borrower: lever up, whale sell-off
// on the oracle's pool, liquidation.
func TestLiquidationCycle(t *testing.T) {
	g, _ := newTestGenerator(t, Config{Seed: 3, Transactions: 10})
	g.log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx := context.Background()
	if err := g.setup(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if err := g.doLiquidation(ctx, g.stepRand(i)); err != nil {
			t.Fatal(err)
		}
		hf, _ := g.w.lending.market.CallBig(ctx, "healthFactor", g.risky.acct.Address)
		t.Logf("cycle %d: hf=%v liquidations=%d reverted=%d", i, hf, g.stats.Liquidations, g.stats.Reverted)
	}
	if g.stats.Liquidations == 0 {
		t.Fatal("no liquidation")
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
