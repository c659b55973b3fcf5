package index

import (
	"context"
	"errors"
	"fmt"
)

// flowIndexes are the secondary indexes of flows_k as the migrations
// create them (schema 6). BulkLoad drops them for the load and builds
// them again afterwards with these exact definitions.
var flowIndexes = []struct{ name, def string }{
	{"flows_src", "flows_k (src, block, tx_index, seq, asset, amount, dst)"},
	{"flows_dst", "flows_k (dst, block, tx_index, seq, kind, asset, amount, asset_out, amount_out, src)"},
	{"flows_tx", "flows_k (tx_hash)"},
	{"flows_block", "flows_k (block)"},
}

// Bulk-load settings for SQLite, on the graph's one connection; the
// normal ones (openPath's DSN) are restored afterwards.
const (
	sqliteBulkPragmas   = `PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576`
	sqliteNormalPragmas = `PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768`
)

// BulkLoad runs load, which writes flows with InsertFlows, as a one-off
// bulk load of a new graph (synthetic graphs of millions of flows for
// benchmarks): the flow table's secondary indexes are dropped before
// load and built again, with the schema's definitions, after it
// (whether load succeeds or not), which is far faster than updating
// four B-trees per row. On SQLite the load also runs with
// synchronous=OFF and a 1 GB page cache, and the graph's normal
// settings (synchronous=NORMAL, 32 MB) are restored afterwards; on
// PostgreSQL the flow table is vacuumed and analysed after the indexes
// are built.
//
// Nothing else may use the graph during the load: queries would scan
// the flow table, and a crash before the indexes are rebuilt leaves the
// graph without them (and, on SQLite, possibly corrupt: synchronous is
// off), so only load graphs that can be rebuilt from scratch. The
// indexer (Run) never uses this path.
func (g *DB) BulkLoad(ctx context.Context, load func(context.Context) error) (err error) {
	if !g.pg {
		if _, err := g.db.ExecContext(ctx, sqliteBulkPragmas); err != nil {
			return fmt.Errorf("index: %s: bulk-load settings: %w", g.path, err)
		}
		defer func() {
			// A cancelled ctx must not leave the connection without
			// its normal durability.
			if _, rerr := g.db.ExecContext(context.WithoutCancel(ctx), sqliteNormalPragmas); rerr != nil {
				err = errors.Join(err, fmt.Errorf("index: %s: restore settings after bulk load: %w", g.path, rerr))
			}
		}()
	}
	for _, ix := range flowIndexes {
		if _, err := g.db.ExecContext(ctx, "DROP INDEX IF EXISTS "+ix.name); err != nil {
			return errors.Join(fmt.Errorf("index: %s: drop %s for bulk load: %w", g.path, ix.name, err), g.buildFlowIndexes(context.WithoutCancel(ctx)))
		}
	}
	lerr := load(ctx)
	if lerr != nil {
		lerr = fmt.Errorf("index: %s: bulk load: %w", g.path, lerr)
	}
	// Rebuild even when load failed or ctx was cancelled: the schema
	// must keep its indexes.
	return errors.Join(lerr, g.buildFlowIndexes(context.WithoutCancel(ctx)))
}

// buildFlowIndexes creates flows_k's secondary indexes that are missing.
func (g *DB) buildFlowIndexes(ctx context.Context) error {
	for _, ix := range flowIndexes {
		if _, err := g.db.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS "+ix.name+" ON "+ix.def); err != nil {
			return fmt.Errorf("index: %s: build %s after bulk load: %w", g.path, ix.name, err)
		}
	}
	if g.pg {
		// VACUUM sets the visibility map (index-only scans of the
		// covering flow indexes) and ANALYZE the statistics, as
		// autovacuum would some time after the load.
		if _, err := g.db.ExecContext(ctx, "VACUUM (ANALYZE) flows_k"); err != nil {
			return fmt.Errorf("index: %s: vacuum flows_k after bulk load: %w", g.path, err)
		}
	}
	return nil
}
