package trace_test

import (
	"context"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/launder"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/trace"
)

// TestLaunderingRecallAnvil runs the laundering scenario on Anvil (a
// third-party node), indexes it and checks the trace finds every final
// holder with its kind.
func TestLaunderingRecallAnvil(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a := testchain.StartAnvil(t, 10)
	truth, err := launder.Run(ctx, launder.Env{Client: a.Client, Victim: a.Accounts[1], Operator: a.Accounts[0], Users: a.Accounts[2:8], Seed: "anvil"})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.New(ctx, a.RPC, t.TempDir(), index.Options{From: truth.FirstBlock})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Untraced != 0 {
		t.Fatalf("Anvil blocks indexed without traces: %+v", st)
	}
	f := &fixture{truth: truth, graph: ix.Graph(), det: cluster.New(ix.Graph()), labels: bridgeLabels(truth)}
	tx := truth.TheftTx
	res, err := trace.Run(ctx, f.graph, trace.Options{Tx: &tx, Labels: f.labels, Classify: f.det.Classify})
	if err != nil {
		t.Fatal(err)
	}
	var found, total float64
	for _, h := range truth.Holders {
		total += h.ETH
		ep := endpoint(res, h.Address)
		if ep == nil || ep.Kind != h.Kind {
			t.Errorf("holder %s (%s): endpoint %+v", h.Address, h.Kind, ep)
			continue
		}
		found += min(ep.Value, h.ETH)
	}
	t.Logf("anvil: recall %.3f, %d nodes", found/total, res.Visited)
	if found/total < 0.9 || res.Visited > 1000 {
		t.Fatalf("recall %.3f with %d nodes", found/total, res.Visited)
	}
}
