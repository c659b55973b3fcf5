package trace

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/index"
)

// pos orders flows in time: block, position in the block, then the
// flow's sequence within the transaction.
type pos struct {
	Block   uint64
	TxIndex uint
	Seq     int
}

func (p pos) less(q pos) bool {
	if p.Block != q.Block {
		return p.Block < q.Block
	}
	if p.TxIndex != q.TxIndex {
		return p.TxIndex < q.TxIndex
	}
	return p.Seq < q.Seq
}

// sameTx reports whether p and q are in the same transaction.
func (p pos) sameTx(q pos) bool { return p.Block == q.Block && p.TxIndex == q.TxIndex }

// flow is one row of the index's flows table, amounts as float64 in the
// asset's smallest unit (forensics needs ranking, not wei exactness).
type flow struct {
	ID        int64
	Pos       pos
	Tx        common.Hash
	Time      uint64
	Kind      string
	From, To  common.Address
	Asset     common.Address
	Amount    float64
	AssetOut  common.Address
	AmountOut float64
	Via       []common.Address
}

// received returns the asset and amount the flow delivers to To.
func (f *flow) received() (common.Address, float64) {
	if f.Kind == index.FlowSwap {
		return f.AssetOut, f.AmountOut
	}
	return f.Asset, f.Amount
}

// graph reads flows from the index.
type graph struct {
	db *index.SQLDB
	// dust is the smallest amount of dustAsset (the main seed asset)
	// worth following.
	dust      float64
	dustAsset common.Address
}

const flowCols = `id, block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via`

func scanFlows(rows *sql.Rows) ([]*flow, error) {
	defer rows.Close()
	var out []*flow
	for rows.Next() {
		var (
			f                                 flow
			tx, src, dst, asset, amt, aout, v string
			amtOut                            string
		)
		if err := rows.Scan(&f.ID, &f.Pos.Block, &f.Pos.TxIndex, &f.Pos.Seq, &tx, &f.Time, &f.Kind, &src, &dst, &asset, &amt, &aout, &amtOut, &v); err != nil {
			return nil, fmt.Errorf("trace: read flows: %w", err)
		}
		f.Tx = common.HexToHash(tx)
		f.From, f.To, f.Asset = common.HexToAddress(src), common.HexToAddress(dst), common.HexToAddress(asset)
		f.Amount, _ = strconv.ParseFloat(amt, 64)
		if aout != "" {
			f.AssetOut = common.HexToAddress(aout)
			f.AmountOut, _ = strconv.ParseFloat(amtOut, 64)
		}
		for _, a := range strings.Split(v, ",") {
			if a != "" {
				f.Via = append(f.Via, common.HexToAddress(a))
			}
		}
		out = append(out, &f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("trace: read flows: %w", err)
	}
	return out, nil
}

// byTx returns the flows of one transaction.
func (g *graph) byTx(ctx context.Context, h common.Hash) ([]*flow, error) {
	rows, err := g.db.QueryContext(ctx, `SELECT `+flowCols+` FROM flows WHERE tx_key = ? ORDER BY seq`, h.Bytes())
	if err != nil {
		return nil, fmt.Errorf("trace: flows of %s: %w", h, err)
	}
	return scanFlows(rows)
}

// txKnown reports whether the index has the transaction at all.
func (g *graph) txKnown(ctx context.Context, h common.Hash) (bool, error) {
	var n int
	if err := g.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM txs WHERE hash_key = ?`, h.Bytes()).Scan(&n); err != nil {
		return false, fmt.Errorf("trace: look up %s: %w", h, err)
	}
	return n > 0, nil
}

// side returns up to limit flows out of (col = "src") or into (col =
// "dst") addr from block `from` on (forward) or up to block `to`
// (backward), time ordered. Zero-value flows and flows of g.dustAsset
// below g.dust are skipped (dust spam and address poisoning neither hide
// a trail nor make a node look like a hub).
func (g *graph) side(ctx context.Context, col string, addr common.Address, from, to uint64, limit int) ([]*flow, error) {
	rows, err := g.db.QueryContext(ctx, `SELECT `+flowCols+` FROM flows WHERE `+col+`_id = `+index.AddrID+` AND block >= ? AND block <= ?
		AND amount != '0' AND (asset_id != `+index.AddrID+` OR CAST(amount AS DOUBLE PRECISION) >= ?)
		ORDER BY block, tx_index, seq LIMIT ?`, index.Key(addr), from, to, index.Key(g.dustAsset), g.dust, limit)
	if err != nil {
		return nil, fmt.Errorf("trace: flows of %s: %w", addr, err)
	}
	return scanFlows(rows)
}

// balanceBefore returns addr's net indexed balance of each asset before
// block `before` (never negative: balances from before the indexed range
// are unknown). It reads at most limit flows; complete is false when
// there were more (a busy service, not a wallet).
func (g *graph) balanceBefore(ctx context.Context, addr common.Address, before uint64, limit int) (bal map[common.Address]float64, complete bool, err error) {
	a := index.Key(addr)
	var n int
	err = g.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM flows WHERE dst_id = `+index.AddrID+` AND block < ? LIMIT ?) AS h`, a, before, limit+1).Scan(&n)
	if err != nil {
		return nil, false, fmt.Errorf("trace: history of %s: %w", addr, err)
	}
	var m int
	if err := g.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM flows WHERE src_id = `+index.AddrID+` AND block < ? LIMIT ?) AS h`, a, before, limit+1).Scan(&m); err != nil {
		return nil, false, fmt.Errorf("trace: history of %s: %w", addr, err)
	}
	if n > limit || m > limit {
		return nil, false, nil
	}
	rows, err := g.db.QueryContext(ctx, `
		SELECT asset, SUM(v) FROM (
			SELECT asset, CAST(amount AS DOUBLE PRECISION) AS v FROM flows WHERE dst_id = `+index.AddrID+` AND kind = 'transfer' AND block < ?
			UNION ALL SELECT asset_out, CAST(amount_out AS DOUBLE PRECISION) FROM flows WHERE dst_id = `+index.AddrID+` AND kind = 'swap' AND block < ?
			UNION ALL SELECT asset, -CAST(amount AS DOUBLE PRECISION) FROM flows WHERE src_id = `+index.AddrID+` AND block < ?
		) AS b GROUP BY asset`, a, before, a, before, a, before)
	if err != nil {
		return nil, false, fmt.Errorf("trace: balance of %s: %w", addr, err)
	}
	defer rows.Close()
	out := map[common.Address]float64{}
	for rows.Next() {
		var asset string
		var v float64
		if err := rows.Scan(&asset, &v); err != nil {
			return nil, false, fmt.Errorf("trace: balance of %s: %w", addr, err)
		}
		if v > 0 {
			out[common.HexToAddress(asset)] = v
		}
	}
	return out, true, rows.Err()
}

// converterKind returns the converter kind of addr ("" if none).
func (g *graph) converterKind(ctx context.Context, addr common.Address) (string, error) {
	var k string
	err := g.db.QueryRowContext(ctx, `SELECT kind FROM converters WHERE address_id = `+index.AddrID, index.Key(addr)).Scan(&k)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("trace: converter %s: %w", addr, err)
	}
	return k, nil
}

// head returns the highest indexed block.
func (g *graph) head(ctx context.Context) (uint64, error) {
	var n sql.NullInt64
	if err := g.db.QueryRowContext(ctx, `SELECT MAX(number) FROM blocks`).Scan(&n); err != nil {
		return 0, fmt.Errorf("trace: indexed head: %w", err)
	}
	return uint64(n.Int64), nil
}
