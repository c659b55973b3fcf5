package index

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyFlows is InsertFlows on PostgreSQL: one transaction on the pgx
// connection underneath database/sql, the rows' new addresses added to
// the dictionary in two statements (arrays), blocks inserted from
// arrays, and transactions and flows streamed with COPY (transactions
// through a temporary table, so duplicates are skipped as by ON
// CONFLICT DO NOTHING). Row-at-a-time round trips made the multi-row
// path ≈ 50× slower than SQLite on millions of flows.
func (g *DB) copyFlows(ctx context.Context, rows []FlowRow) error {
	c, err := g.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("index: %s: connection: %w", g.path, err)
	}
	defer c.Close()
	var fresh map[common.Address]int64
	err = c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver connection is %T, not pgx", dc)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
		if fresh, err = g.copyAddrs(ctx, tx, rows); err != nil {
			return err
		}
		id := func(a common.Address) int64 { return fresh[a] }
		var blocks, times []int64
		seenTx := make(map[common.Hash]bool, len(rows))
		var txRows, flowRows [][]any
		for i, r := range rows {
			if i == 0 || r.Block != rows[i-1].Block {
				blocks = append(blocks, int64(r.Block))
				times = append(times, int64(r.Block*12))
			}
			if !seenTx[r.Tx] {
				seenTx[r.Tx] = true
				txRows = append(txRows, []any{r.Tx.Bytes(), int64(r.Block), int64(r.TxIndex), id(r.From), "0", int64(1)})
			}
			var out any
			amtOut := ""
			if r.Kind == FlowSwap {
				out, amtOut = id(r.AssetOut), r.AmountOut.String()
			}
			via := ""
			for j, v := range r.Via {
				if j > 0 {
					via += ","
				}
				via += Addr(v)
			}
			flowRows = append(flowRows, []any{int64(r.Block), int64(r.TxIndex), int64(r.Seq), r.Tx.Bytes(), int64(r.Block * 12), r.Kind,
				id(r.From), id(r.To), id(r.Asset), r.Amount.String(), out, amtOut, via})
		}
		if _, err := tx.Exec(ctx, `INSERT INTO blocks (number, hash, parent, time, traced)
			SELECT n, '', '', t, 1 FROM unnest($1::bigint[], $2::bigint[]) AS b(n, t) ON CONFLICT DO NOTHING`, blocks, times); err != nil {
			return fmt.Errorf("insert blocks: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE txs_load (LIKE txs_k) ON COMMIT DROP`); err != nil {
			return fmt.Errorf("transactions: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"txs_load"}, []string{"hash", "block", "tx_index", "sender", "gas_price", "traced"}, pgx.CopyFromRows(txRows)); err != nil {
			return fmt.Errorf("copy transactions: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO txs_k SELECT * FROM txs_load ON CONFLICT DO NOTHING`); err != nil {
			return fmt.Errorf("insert transactions: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"flows_k"}, []string{"block", "tx_index", "seq", "tx_hash", "time", "kind", "src", "dst", "asset", "amount", "asset_out", "amount_out", "via"},
			pgx.CopyFromRows(flowRows)); err != nil {
			return fmt.Errorf("copy flows: %w", err)
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return fmt.Errorf("index: %s: insert flows: %w", g.path, err)
	}
	if len(fresh) > 0 {
		g.ids.put(fresh)
	}
	return nil
}

// copyAddrs adds the rows' addresses missing from the graph's id cache
// to the dictionary and returns the ids of all the rows' addresses.
func (g *DB) copyAddrs(ctx context.Context, tx pgx.Tx, rows []FlowRow) (map[common.Address]int64, error) {
	var need [][]byte
	ids := map[common.Address]int64{}
	seen := map[common.Address]bool{}
	add := func(a common.Address) {
		if seen[a] {
			return
		}
		seen[a] = true
		if id, ok := g.ids.get(a); ok {
			ids[a] = id
		} else {
			need = append(need, a.Bytes())
		}
	}
	for _, r := range rows {
		add(r.From)
		add(r.To)
		add(r.Asset)
		if r.Kind == FlowSwap {
			add(r.AssetOut)
		}
	}
	if len(need) == 0 {
		return ids, nil
	}
	// WITH ORDINALITY: ids in the rows' order, as the row-at-a-time path.
	if _, err := tx.Exec(ctx, `INSERT INTO addrs (addr) SELECT a FROM unnest($1::bytea[]) WITH ORDINALITY AS u(a, i) ORDER BY i ON CONFLICT (addr) DO NOTHING`, need); err != nil {
		return nil, fmt.Errorf("address dictionary: %w", err)
	}
	res, err := tx.Query(ctx, `SELECT id, addr FROM addrs WHERE addr = ANY($1::bytea[])`, need)
	if err != nil {
		return nil, fmt.Errorf("address dictionary: %w", err)
	}
	defer res.Close()
	for res.Next() {
		var id int64
		var a []byte
		if err := res.Scan(&id, &a); err != nil {
			return nil, fmt.Errorf("address dictionary: %w", err)
		}
		ids[common.BytesToAddress(a)] = id
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("address dictionary: %w", err)
	}
	if len(ids) != len(seen) {
		return nil, errors.New("address dictionary: some addresses have no id")
	}
	return ids, nil
}
