package trace_test

import (
	"context"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/testpg"
	"github.com/aegis-defi/aegis/internal/trace"
)

var update = flag.Bool("update", false, "rewrite testdata/random_graph.golden from the current traversal")

// randomGraph is bench/trace's synthetic graph shape at a small size:
// uniform senders, Zipf-distributed receivers (hubs), one flow per
// transaction, 100 per block, plus the transactions traced from (evenly
// spaced).
func randomGraph(edges, traces int) ([]index.FlowRow, []common.Hash) {
	nodes := max(edges/8, 10)
	addrs := make([]common.Address, nodes)
	for i := range addrs {
		addrs[i] = common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprint(i)))[:20])
	}
	rng := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(5, 6)), 1.2, 8, uint64(nodes-1))
	var rows []index.FlowRow
	var seeds []common.Hash
	for i := 0; i < edges; i++ {
		h := common.BytesToHash(crypto.Keccak256([]byte(fmt.Sprint("tx", i))))
		amt := new(big.Int).Mul(big.NewInt(int64(1+rng.IntN(1000))), big.NewInt(1e15))
		rows = append(rows, index.FlowRow{Block: uint64(1 + i/100), TxIndex: uint(i % 100), Tx: h, Kind: index.FlowTransfer,
			From: addrs[rng.IntN(nodes)], To: addrs[zipf.Uint64()], Asset: index.ETH(), Amount: amt})
		if i%(edges/traces+1) == 0 && len(seeds) < traces {
			seeds = append(seeds, h)
		}
	}
	return rows, seeds
}

// traceSummary runs forward traces in every model and backward haircut
// traces from each seed and prints what a user sees: counts, endpoints
// (address, kind, hops, share, holdings) and the tainted edges' shares,
// floats to nine significant digits (sums may be added up in another
// order by another database).
func traceSummary(t *testing.T, ctx context.Context, g *index.DB, seeds []common.Hash) string {
	t.Helper()
	var b strings.Builder
	for _, o := range []trace.Options{
		{MaxHops: 6, MaxNodes: 300},
		{MaxHops: 6, MaxNodes: 300, Model: trace.Poison, MinValue: 1e-12},
		{MaxHops: 6, MaxNodes: 300, Model: trace.Poison, MinValue: 1e-12, MaxFanout: 8},
		{MaxHops: 6, MaxNodes: 300, Model: trace.FIFO, MinValue: 1e-6, MaxFanout: 8},
		{MaxHops: 6, MaxNodes: 300, Direction: trace.Backward, MinValue: 1e-6, MaxFanout: 8},
	} {
		for _, h := range seeds {
			o.Tx = &h
			r, err := trace.Run(ctx, g, o)
			if err != nil {
				t.Fatalf("%s %s from %s: %v", o.Model, o.Direction, h, err)
			}
			fmt.Fprintf(&b, "%s %s fan-out %d %s: visited %d expansions %d truncated %v dropped %.9g edges %d\n",
				r.Model, r.Direction, o.MaxFanout, h.Hex()[:10], r.Visited, r.Expansions, r.Truncated, r.Dropped, len(r.Edges))
			eps := append([]trace.Endpoint(nil), r.Endpoints...)
			sort.Slice(eps, func(i, j int) bool { return eps[i].Address.Cmp(eps[j].Address) < 0 })
			for _, e := range eps {
				fmt.Fprintf(&b, "  %s %s hops %d share %.9g", e.Address.Hex()[:10], e.Kind, e.Hops, e.Share)
				for _, hd := range e.Holdings {
					fmt.Fprintf(&b, " %.9g", hd.Amount)
				}
				b.WriteString("\n")
			}
			es := append([]trace.Edge(nil), r.Edges...)
			sort.Slice(es, func(i, j int) bool { return es[i].Tx.Cmp(es[j].Tx) < 0 })
			for _, e := range es {
				fmt.Fprintf(&b, "  edge %s share %.9g amount %.9g\n", e.Tx.Hex()[:10], e.Share, e.Amount)
			}
		}
	}
	return b.String()
}

// TestRandomGraphResultsPinned pins the traversal's results on a random
// graph of bench/trace's shape: testdata/random_graph.golden was written
// by the traversal before its queries were reworked for 10 M-edge graphs
// (covering flow indexes, balances grouped by address id, COPY on
// PostgreSQL), and every later version must give the same endpoints,
// shares and amounts, on SQLite and on PostgreSQL.
func TestRandomGraphResultsPinned(t *testing.T) {
	ctx := context.Background()
	rows, seeds := randomGraph(6000, 8)
	sq, err := index.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	if err := sq.InsertFlows(ctx, rows); err != nil {
		t.Fatal(err)
	}
	got := traceSummary(t, ctx, sq, seeds)
	golden := filepath.Join("testdata", "random_graph.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, " hub ") || !strings.Contains(got, "truncated true") {
		t.Errorf("the random graph no longer exercises hubs and the expansion cap:\n%s", got)
	}
	if got != string(want) {
		t.Errorf("SQLite results differ from %s:\n%s", golden, firstDiff(got, string(want)))
	}

	srv := testpg.StartT(t)
	pctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	pg, err := index.OpenURL(pctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	// Bulk-loaded in two parts, as the benchmark does.
	if err := pg.BulkLoad(pctx, func(ctx context.Context) error {
		if err := pg.InsertFlows(ctx, rows[:len(rows)/2]); err != nil {
			return err
		}
		return pg.InsertFlows(ctx, rows[len(rows)/2:])
	}); err != nil {
		t.Fatal(err)
	}
	if got := traceSummary(t, pctx, pg, seeds); got != string(want) {
		t.Errorf("PostgreSQL results differ from %s:\n%s", golden, firstDiff(got, string(want)))
	}
}

// firstDiff shows the first differing line of two summaries.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, a, b)
		}
	}
	return "(same lines)"
}
