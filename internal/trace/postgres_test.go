package trace_test

import (
	"context"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/testenv"
	"github.com/aegis-defi/aegis/internal/testpg"
	"github.com/aegis-defi/aegis/internal/trace"
)

// pgFixture is the laundering chain indexed a second time, into a real
// PostgreSQL server.
type pgFixture struct {
	server *testpg.Server
	graph  *index.DB
}

var (
	pgOnce sync.Once
	pg     *pgFixture
	// pgStart is why the server did not start; pgErr why indexing into
	// it failed.
	pgStart, pgErr error
)

// postgresGraph indexes the laundering fixture's chain into a throwaway
// PostgreSQL (stopped by TestMain).
func postgresGraph(t *testing.T, f *fixture) *pgFixture {
	t.Helper()
	testenv.Require(t, testpg.BinDir() != "", "PostgreSQL", testpg.Hint)
	pgOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		srv, err := testpg.Start(ctx)
		if err != nil {
			pgStart = err
			return
		}
		pg = &pgFixture{server: srv}
		c, err := rpc.DialContext(ctx, f.env.Node.HTTPURL())
		if err != nil {
			pgErr = err
			return
		}
		defer c.Close()
		dir, err := tempDir()
		if err != nil {
			pgErr = err
			return
		}
		ix, err := index.New(ctx, c, dir, index.Options{From: f.truth.FirstBlock, DB: srv.URL})
		if err != nil {
			pgErr = err
			return
		}
		pg.graph = ix.Graph()
		if _, err := ix.Run(ctx); err != nil {
			pgErr = err
		}
	})
	if pgStart != nil {
		// CI must run it: a server that cannot start fails there.
		testenv.Require(t, false, "a startable PostgreSQL server ("+pgStart.Error()+")", testpg.Hint)
	}
	if pgErr != nil {
		t.Fatalf("index into PostgreSQL: %v", pgErr)
	}
	return pg
}

// TestLaunderingPostgres runs the laundering index + trace test against
// PostgreSQL: the same rows as in SQLite, the same recall checks, and
// the same trace result.
func TestLaunderingPostgres(t *testing.T) {
	f := laundered(t)
	p := postgresGraph(t, f)
	ctx := context.Background()
	if !p.graph.SQL().Postgres() {
		t.Fatal("the graph is not in PostgreSQL")
	}
	want, err := f.graph.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.graph.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != want || got.Flows == 0 {
		t.Fatalf("PostgreSQL graph %+v, SQLite %+v", got, want)
	}
	det := cluster.New(p.graph)
	checkRecall(t, f, p.graph, det)
	// Byte for byte the same trace as on SQLite.
	tx := f.truth.TheftTx
	a, err := trace.Run(ctx, f.graph, trace.Options{Tx: &tx, Labels: f.labels, Classify: f.det.Classify})
	if err != nil {
		t.Fatal(err)
	}
	b, err := trace.Run(ctx, p.graph, trace.Options{Tx: &tx, Labels: f.labels, Classify: det.Classify})
	if err != nil {
		t.Fatal(err)
	}
	// The same trace (floating-point sums may differ in the last bit:
	// the engines add in different orders).
	if len(a.Endpoints) != len(b.Endpoints) || len(a.Edges) != len(b.Edges) || len(a.Findings) != len(b.Findings) || a.Visited != b.Visited {
		t.Fatalf("SQLite: %d endpoints, %d edges, %d findings, %d nodes; PostgreSQL: %d, %d, %d, %d",
			len(a.Endpoints), len(a.Edges), len(a.Findings), a.Visited, len(b.Endpoints), len(b.Edges), len(b.Findings), b.Visited)
	}
	for i, x := range a.Endpoints {
		y := b.Endpoints[i]
		if x.Address != y.Address || x.Kind != y.Kind || x.Hops != y.Hops || !reflect.DeepEqual(x.Deposits, y.Deposits) || math.Abs(x.Value-y.Value) > 1e-6 {
			t.Errorf("endpoint %d: SQLite %s %s %d hops %.6f, PostgreSQL %s %s %d hops %.6f", i, x.Address, x.Kind, x.Hops, x.Value, y.Address, y.Kind, y.Hops, y.Value)
		}
	}
	for i, x := range a.Findings {
		if y := b.Findings[i]; x.Pattern != y.Pattern || x.Detail != y.Detail {
			t.Errorf("finding %d: SQLite %s %q, PostgreSQL %s %q", i, x.Pattern, x.Detail, y.Pattern, y.Detail)
		}
	}
	for i, x := range a.Edges {
		y := b.Edges[i]
		if x.From != y.From || x.To != y.To || x.Tx != y.Tx || x.Order != y.Order || math.Abs(x.Share-y.Share) > 1e-9 {
			t.Errorf("edge %d: SQLite %+v, PostgreSQL %+v", i, x, y)
		}
	}
	// Re-opening by URL finds the indexed graph; a reorg rewind works.
	g2, err := index.OpenAny(ctx, "", p.server.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer g2.Close()
	id, ok, err := g2.ChainID(ctx)
	if err != nil || !ok || id == 0 {
		t.Fatalf("chain id %d %v %v", id, ok, err)
	}
	// Bad URLs: a clear error naming the server, never the password.
	if _, err := index.OpenURL(ctx, "postgres://u:secretpw@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"); err == nil || strings.Contains(err.Error(), "secretpw") {
		t.Fatalf("bad server: %v", err)
	}
	if _, err := index.OpenURL(ctx, "mysql://x"); err == nil {
		t.Fatal("non-postgres URL accepted")
	}
}
