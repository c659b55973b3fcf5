package index

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestSQLDBPreparedStatements checks that read queries are prepared once
// and reused, that the cache stays bounded when query texts vary, and
// that a bad query still reports its error instead of being cached.
func TestSQLDBPreparedStatements(t *testing.T) {
	ctx := context.Background()
	g, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	q := g.SQL()
	var n int
	for i := 0; i < 3; i++ {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocks WHERE number >= ?`, 0).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	if len(q.stmts) != 1 {
		t.Fatalf("one query text run three times: %d prepared statements, want 1", len(q.stmts))
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM no_such_table`).Scan(&n); err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("query of a missing table: err %v, want it named", err)
	}
	if _, err := q.QueryContext(ctx, `SELEC nonsense`); err == nil {
		t.Fatal("a syntax error was not reported")
	}
	if len(q.stmts) != 1 {
		t.Fatalf("failed queries were cached: %d statements", len(q.stmts))
	}
	for i := 0; i < 2*maxStmts; i++ {
		rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT %d FROM blocks WHERE number >= ?`, i), 0)
		if err != nil {
			t.Fatal(err)
		}
		_ = rows.Close()
	}
	if len(q.stmts) != maxStmts {
		t.Fatalf("%d distinct query texts: %d prepared statements kept, want the bound %d", 2*maxStmts+1, len(q.stmts), maxStmts)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if q.stmts != nil {
		t.Fatal("Close kept the prepared statements")
	}
}
