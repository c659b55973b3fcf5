package tokentestbed

import (
	"context"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/testchain"
)

func TestDeployDevnet(t *testing.T) {
	env := testchain.New(t)
	ctx := context.Background()
	start := time.Now()
	tb, err := Deploy(ctx, env.Client, env.Accounts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("deployed %d tokens in %v", len(tb.Tokens), time.Since(start))
}
