package traffic

import (
	"context"
	"testing"
	"time"
)

func TestRunMix(t *testing.T) {
	g, _ := newTestGenerator(t, Config{Seed: 1, Transactions: 200})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := g.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stats: %+v (%.0f tx/s)", st, float64(st.Transactions+st.Setup)/st.Duration.Seconds())
	if st.Transactions < 200 {
		t.Errorf("sent %d transactions, want 200", st.Transactions)
	}
	if st.Reverted*50 > st.Transactions {
		t.Errorf("%d of %d reverted", st.Reverted, st.Transactions)
	}
}
