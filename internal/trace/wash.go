package trace

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/ethereum/go-ethereum/common"
)

// PatternWashTrading is the finding for round trips on one AMM pool by
// the traced addresses: asset X swapped into Y and Y back into X on the
// same pool, again and again, moving volume but not value.
const PatternWashTrading = "wash-trading"

// washMinRounds is how many round trips make wash trading.
const washMinRounds = 2

// washTrading matches, per pool, each swap X→Y by an expanded node with a
// later swap Y→X on the same pool by a traced address that sells about
// what was bought (±10%) and gets back ≥ 90% of what went in.
func (t *tracer) washTrading(ctx context.Context) ([]Finding, error) {
	const scan = 500
	var ids []int64
	for a, n := range t.nodes {
		if !n.expanded {
			continue
		}
		id, err := t.g.idOf(ctx, a)
		if err != nil {
			return nil, err
		}
		if id != noAddr {
			ids = append(ids, id)
		}
	}
	// Each expanded node's first scan swaps, 64 nodes per statement.
	var swaps []*flow
	for len(ids) > 0 {
		q, args, rest := unionPerNode(ids, func(id int64) ([]string, []any) {
			return []string{`SELECT ` + flowCols + ` FROM flows WHERE src_id = ? AND kind = 'swap' ORDER BY block, tx_index, seq LIMIT ?`}, []any{id, scan}
		})
		ids = rest
		rows, err := t.g.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("trace: swaps of the traced addresses: %w", err)
		}
		fs, err := t.g.scanFlows(ctx, rows, "")
		if err != nil {
			return nil, err
		}
		swaps = append(swaps, fs...)
	}
	sort.Slice(swaps, func(i, j int) bool { return swaps[i].Pos.less(swaps[j].Pos) })
	type key struct {
		trader, pool common.Address
	}
	type stat struct {
		rounds      int
		in, back    float64
		first, last uint64
		assetIn     string
		pool        string
	}
	stats := map[key]*stat{}
	used := map[int64]bool{}
	var keys []key
	for i, s1 := range swaps {
		if used[s1.ID] || len(s1.Via) == 0 || s1.AmountOut <= 0 {
			continue
		}
		for _, s2 := range swaps[i+1:] {
			if used[s2.ID] || s2.Asset != s1.AssetOut || s2.AssetOut != s1.Asset || (s2.From != s1.From && s2.From != s1.To) {
				continue
			}
			if !slices.ContainsFunc(s2.Via, func(p common.Address) bool { return slices.Contains(s1.Via, p) }) {
				continue
			}
			if s2.Amount < 0.9*s1.AmountOut || s2.Amount > 1.1*s1.AmountOut || s2.AmountOut < 0.9*s1.Amount {
				continue
			}
			used[s1.ID], used[s2.ID] = true, true
			k := key{s1.From, s1.Via[0]}
			st := stats[k]
			if st == nil {
				st = &stat{first: s1.Pos.Block, assetIn: AssetName(s1.Asset), pool: Short(s1.Via[0])}
				stats[k] = st
				keys = append(keys, k)
			}
			st.rounds++
			st.in += s1.Amount
			st.back += s2.AmountOut
			st.last = s2.Pos.Block
			break
		}
	}
	var out []Finding
	for _, k := range keys {
		st := stats[k]
		if st.rounds < washMinRounds {
			continue
		}
		trader, pool := k.trader, k.pool
		out = append(out, Finding{Pattern: PatternWashTrading, Addresses: []common.Address{trader, pool},
			Detail: fmt.Sprintf("%s round-tripped %s on pool %s %d times within %d blocks: %.4g %s of volume, %.1f%% came back",
				Short(trader), st.assetIn, st.pool, st.rounds, st.last-st.first, Units(st.in), st.assetIn, 100*st.back/st.in)})
	}
	return out, nil
}
