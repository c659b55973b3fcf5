package trace

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
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
	// src and dst are From's and To's dictionary ids (src is unread, -2,
	// in a flow from inflows).
	src, dst int64
}

// unread is the src of a flow read by inflows.
const unread = -2

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
	// addrs caches the index's address dictionary (id → address): flows
	// are read by their compact keys and resolved here, which is cheaper
	// than formatting every address in SQL.
	addrs map[int64]common.Address
	// ids is the reverse of addrs: a node's id is usually known from the
	// flow that reached it, so its own queries filter on the integer
	// instead of looking the address up in the dictionary each time.
	ids map[common.Address]int64
	// conv caches converter kinds ("" for an address that is none),
	// filled by side with each flow's counterparty, so creating the node
	// of an address reached costs no query.
	conv map[common.Address]string
}

// idOf returns addr's dictionary id, or noAddr when the index has never
// seen it (which matches no flow, like index.AddrID's -1).
func (g *graph) idOf(ctx context.Context, addr common.Address) (int64, error) {
	if id, ok := g.ids[addr]; ok {
		return id, nil
	}
	var id int64
	if err := g.db.QueryRowContext(ctx, `SELECT `+index.AddrID, index.Key(addr)).Scan(&id); err != nil {
		return 0, fmt.Errorf("trace: address dictionary: %w", err)
	}
	g.remember(id, addr)
	return id, nil
}

// remember records a dictionary entry in both directions.
func (g *graph) remember(id int64, addr common.Address) {
	if g.addrs == nil {
		g.addrs = map[int64]common.Address{}
	}
	if g.ids == nil {
		g.ids = map[common.Address]int64{}
	}
	if id != noAddr {
		g.addrs[id] = addr
	}
	g.ids[addr] = id
}

// flowCols are the flows view's compact columns scanFlows reads.
const flowCols = `id, block, tx_index, seq, tx_key, time, kind, src_id, dst_id, asset_id, amount, asset_out_id, amount_out, via`

// scanFlows reads rows of flowCols (closing rows), then resolves their
// address ids (after closing: SQLite has one connection). With other
// "src" or "dst", each row has two more columns: the address and the
// converter kind (NULL: none) of that end of the flow, remembered as
// they come (see side).
func (g *graph) scanFlows(ctx context.Context, rows *sql.Rows, other string) ([]*flow, error) {
	type keyed struct {
		f               *flow
		src, dst, asset int64
		out             sql.NullInt64
	}
	var ks []keyed
	err := func() error {
		defer rows.Close()
		for rows.Next() {
			var (
				f      flow
				k      keyed
				tx     []byte
				amt, v string
				amtOut string
			)
			dest := []any{&f.ID, &f.Pos.Block, &f.Pos.TxIndex, &f.Pos.Seq, &tx, &f.Time, &f.Kind, &k.src, &k.dst, &k.asset, &amt, &k.out, &amtOut, &v}
			var oaddr []byte
			var okind sql.NullString
			if other != "" {
				dest = append(dest, &oaddr, &okind)
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			if other != "" {
				if len(oaddr) != common.AddressLength {
					return fmt.Errorf("flow %d: counterparty address of %d bytes", f.ID, len(oaddr))
				}
				a := common.BytesToAddress(oaddr)
				if other == "src" {
					g.remember(k.src, a)
				} else {
					g.remember(k.dst, a)
				}
				if g.conv == nil {
					g.conv = map[common.Address]string{}
				}
				g.conv[a] = okind.String
			}
			f.Tx = common.BytesToHash(tx)
			f.Amount, _ = strconv.ParseFloat(amt, 64)
			if k.out.Valid {
				f.AmountOut, _ = strconv.ParseFloat(amtOut, 64)
			}
			for _, a := range strings.Split(v, ",") {
				if a != "" {
					f.Via = append(f.Via, common.HexToAddress(a))
				}
			}
			k.f = &f
			ks = append(ks, k)
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, fmt.Errorf("trace: read flows: %w", err)
	}
	var need []int64
	for _, k := range ks {
		ids := []int64{k.src, k.dst, k.asset}
		if k.out.Valid {
			ids = append(ids, k.out.Int64)
		}
		for _, id := range ids {
			if _, ok := g.addrs[id]; !ok {
				need = append(need, id)
			}
		}
	}
	if err := g.resolve(ctx, need); err != nil {
		return nil, err
	}
	out := make([]*flow, len(ks))
	for i, k := range ks {
		k.f.From, k.f.To, k.f.Asset = g.addrs[k.src], g.addrs[k.dst], g.addrs[k.asset]
		k.f.src, k.f.dst = k.src, k.dst
		if k.out.Valid {
			k.f.AssetOut = g.addrs[k.out.Int64]
		}
		out[i] = k.f
	}
	return out, nil
}

// resolve loads the addresses of ids into g.addrs.
func (g *graph) resolve(ctx context.Context, ids []int64) error {
	if g.addrs == nil {
		g.addrs = map[int64]common.Address{}
	}
	for len(ids) > 0 {
		in, args, rest := inList(ids)
		ids = rest
		rows, err := g.db.QueryContext(ctx, `SELECT id, addr FROM addrs WHERE id IN `+in, args...)
		if err != nil {
			return fmt.Errorf("trace: address dictionary: %w", err)
		}
		for rows.Next() {
			var id int64
			var a []byte
			if err := rows.Scan(&id, &a); err != nil {
				rows.Close()
				return fmt.Errorf("trace: address dictionary: %w", err)
			}
			g.remember(id, common.BytesToAddress(a))
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("trace: address dictionary: %w", err)
		}
	}
	return nil
}

// inList returns an SQL IN list for up to 512 of ids, its arguments and
// the ids left over. The list is padded (repeating the last id) to a
// power of two, so the query has a handful of texts for the database's
// statement cache instead of one per list length.
func inList(ids []int64) (string, []any, []int64) {
	const chunk = 512
	n := min(len(ids), chunk)
	size := 1
	for size < n {
		size *= 2
	}
	args := make([]any, size)
	for i := range args {
		args[i] = ids[min(i, n-1)]
	}
	return `(?` + strings.Repeat(", ?", size-1) + `)`, args, ids[n:]
}

// byTx returns the flows of one transaction.
func (g *graph) byTx(ctx context.Context, h common.Hash) ([]*flow, error) {
	rows, err := g.db.QueryContext(ctx, `SELECT `+flowCols+` FROM flows WHERE tx_key = ? ORDER BY seq`, h.Bytes())
	if err != nil {
		return nil, fmt.Errorf("trace: flows of %s: %w", h, err)
	}
	return g.scanFlows(ctx, rows, "")
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
//
// Each row also brings the counterparty's address and converter kind (the
// trace needs both for every counterparty it may reach): on PostgreSQL
// that saves two round trips per node over resolving them afterwards.
func (g *graph) side(ctx context.Context, col string, addr common.Address, from, to uint64, limit int) ([]*flow, error) {
	id, err := g.idOf(ctx, addr)
	if err != nil {
		return nil, err
	}
	other := "dst"
	if col == "dst" {
		other = "src"
	}
	rows, err := g.db.QueryContext(ctx, `SELECT `+flowCols+`,
		(SELECT addr FROM addrs WHERE id = flows.`+other+`_id), (SELECT kind FROM converters_k WHERE address = flows.`+other+`_id)
		FROM flows WHERE `+col+`_id = ? AND block >= ? AND block <= ?
		AND `+notDust+` ORDER BY block, tx_index, seq LIMIT ?`, id, from, to, index.Key(g.dustAsset), g.dust, limit)
	if err != nil {
		return nil, fmt.Errorf("trace: flows of %s: %w", addr, err)
	}
	return g.scanFlows(ctx, rows, other)
}

// inflows returns what side(ctx, "dst", addr, from, to, limit) returns,
// read from the covering flows_dst index alone (no table lookup per flow,
// no dictionary lookup of each sender): the flows carry no From, Tx, Time
// or Via. expandForward only books a node's inflows (position, asset,
// amount, which lot); a self-flow, which it also spends, comes whole from
// the node's outflows.
func (g *graph) inflows(ctx context.Context, addr common.Address, from, to uint64, limit int) ([]*flow, error) {
	id, err := g.idOf(ctx, addr)
	if err != nil {
		return nil, err
	}
	rows, err := g.db.QueryContext(ctx, `SELECT id, block, tx_index, seq, kind, asset_id, amount, asset_out_id, amount_out FROM flows
		WHERE dst_id = ? AND block >= ? AND block <= ? AND `+notDust+` ORDER BY block, tx_index, seq LIMIT ?`, id, from, to, index.Key(g.dustAsset), g.dust, limit)
	if err != nil {
		return nil, fmt.Errorf("trace: flows into %s: %w", addr, err)
	}
	type keyed struct {
		f     *flow
		asset int64
		out   sql.NullInt64
	}
	var ks []keyed
	var need []int64
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var (
				k           keyed
				amt, amtOut string
			)
			f := &flow{To: addr, src: unread, dst: id}
			if err := rows.Scan(&f.ID, &f.Pos.Block, &f.Pos.TxIndex, &f.Pos.Seq, &f.Kind, &k.asset, &amt, &k.out, &amtOut); err != nil {
				return err
			}
			f.Amount, _ = strconv.ParseFloat(amt, 64)
			if k.out.Valid {
				f.AmountOut, _ = strconv.ParseFloat(amtOut, 64)
				if _, ok := g.addrs[k.out.Int64]; !ok {
					need = append(need, k.out.Int64)
				}
			}
			if _, ok := g.addrs[k.asset]; !ok {
				need = append(need, k.asset)
			}
			k.f = f
			ks = append(ks, k)
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, fmt.Errorf("trace: flows into %s: %w", addr, err)
	}
	if err := g.resolve(ctx, need); err != nil {
		return nil, err
	}
	out := make([]*flow, len(ks))
	for i, k := range ks {
		k.f.Asset = g.addrs[k.asset]
		if k.out.Valid {
			k.f.AssetOut = g.addrs[k.out.Int64]
		}
		out[i] = k.f
	}
	return out, nil
}

// dustRow is one dust or zero-value transfer of a node (other: the
// counterparty).
type dustRow struct {
	other, asset common.Address
	otherID      int64
	tx           common.Hash
	kind, amount string
}

// unionPerNode builds one statement of per-node queries for up to 64 of
// ids: branches(id) gives each node's SELECTs (each with its own ORDER BY
// and LIMIT) and their arguments; every SELECT becomes one UNION ALL term.
// The list is padded to a power of two with noAddr, which matches no
// row, so the statement has a handful of texts. A
// window function over all nodes would keep one statement too, but would
// number a hub's whole history before the per-node limit applied.
func unionPerNode(ids []int64, branches func(id int64) ([]string, []any)) (string, []any, []int64) {
	const chunk = 64 // × 2 terms stays under SQLite's 500 compound terms
	n := min(len(ids), chunk)
	size := 1
	for size < n {
		size *= 2
	}
	var terms []string
	var args []any
	for i := range size {
		id := int64(noAddr)
		if i < n {
			id = ids[i]
		}
		qs, as := branches(id)
		for _, q := range qs {
			terms = append(terms, `SELECT * FROM (`+q+`) AS b`+strconv.Itoa(len(terms)))
		}
		args = append(args, as...)
	}
	return strings.Join(terms, "\nUNION ALL "), args, ids[n:]
}

// dustOf returns up to limit of each address's dust transfers (sent or
// received), oldest first, in one statement per 64 addresses.
func (g *graph) dustOf(ctx context.Context, addrs []common.Address, limit int) (map[common.Address][]dustRow, error) {
	ids := make([]int64, 0, len(addrs))
	for _, a := range addrs {
		id, err := g.idOf(ctx, a)
		if err != nil {
			return nil, err
		}
		if id != noAddr {
			ids = append(ids, id)
		}
	}
	const cols = `block, src, dst, kind, (SELECT addr FROM addrs WHERE id = dust_k.asset), amount, tx_hash`
	type row struct {
		block    uint64
		src, dst int64
		d        dustRow
	}
	byNode := map[int64][]row{}
	for len(ids) > 0 {
		q, args, rest := unionPerNode(ids, func(id int64) ([]string, []any) {
			return []string{
				`SELECT 's' AS side, ` + cols + ` FROM dust_k WHERE src = ? ORDER BY block LIMIT ?`,
				`SELECT 'd' AS side, ` + cols + ` FROM dust_k WHERE dst = ? AND src <> dst ORDER BY block LIMIT ?`,
			}, []any{id, limit, id, limit}
		})
		ids = rest
		rows, err := g.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("trace: dust transfers: %w", err)
		}
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				var side string
				var r row
				var asset, tx []byte
				if err := rows.Scan(&side, &r.block, &r.src, &r.dst, &r.d.kind, &asset, &r.d.amount, &tx); err != nil {
					return err
				}
				r.d.asset, r.d.tx = common.BytesToAddress(asset), common.BytesToHash(tx)
				node, other := r.src, r.dst
				if side == "d" {
					node, other = r.dst, r.src
				}
				r.d.otherID = other
				byNode[node] = append(byNode[node], r)
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("trace: dust transfers: %w", err)
		}
	}
	// Oldest first, at most limit per node; counterparties resolved.
	var need []int64
	for _, rs := range byNode {
		for _, r := range rs {
			if _, ok := g.addrs[r.d.otherID]; !ok {
				need = append(need, r.d.otherID)
			}
		}
	}
	if err := g.resolve(ctx, need); err != nil {
		return nil, err
	}
	out := map[common.Address][]dustRow{}
	for node, rs := range byNode {
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].block < rs[j].block })
		if len(rs) > limit {
			rs = rs[:limit]
		}
		a := g.addrs[node]
		for _, r := range rs {
			r.d.other = g.addrs[r.d.otherID]
			out[a] = append(out[a], r.d)
		}
	}
	return out, nil
}

// notDust is side's filter: no zero-value flow, none of g.dustAsset below
// g.dust (two arguments: the dust asset's key and the dust amount).
const notDust = `amount != '0' AND (asset_id != ` + index.AddrID + ` OR CAST(amount AS DOUBLE PRECISION) >= ?)`

// nodeCounts are the flow counts expandForward decides on before reading
// any flow, each counted up to its limit from the flow indexes alone.
type nodeCounts struct {
	outAfter, inAfter   int // flows side would return from block `from` on
	inBefore, outBefore int // history before block `from` (any flow)
}

// counts reads a node's four counts in one query (they were four round
// trips per expanded node, the most of a deep trace's queries).
func (g *graph) counts(ctx context.Context, addr common.Address, from, to uint64, outLimit, inLimit, histLimit int) (nodeCounts, error) {
	id, err := g.idOf(ctx, addr)
	if err != nil {
		return nodeCounts{}, err
	}
	dk := index.Key(g.dustAsset)
	var c nodeCounts
	err = g.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM (SELECT 1 FROM flows WHERE src_id = ? AND block >= ? AND block <= ? AND `+notDust+` LIMIT ?) AS a),
		(SELECT COUNT(*) FROM (SELECT 1 FROM flows WHERE dst_id = ? AND block >= ? AND block <= ? AND `+notDust+` LIMIT ?) AS b),
		(SELECT COUNT(*) FROM (SELECT 1 FROM flows WHERE dst_id = ? AND block < ? LIMIT ?) AS c),
		(SELECT COUNT(*) FROM (SELECT 1 FROM flows WHERE src_id = ? AND block < ? LIMIT ?) AS d)`,
		id, from, to, dk, g.dust, outLimit,
		id, from, to, dk, g.dust, inLimit,
		id, from, histLimit,
		id, from, histLimit).Scan(&c.outAfter, &c.inAfter, &c.inBefore, &c.outBefore)
	if err != nil {
		return nodeCounts{}, fmt.Errorf("trace: count flows of %s: %w", addr, err)
	}
	return c, nil
}

// noAddr stands for a NULL asset id (no dictionary id is negative).
const noAddr = -1

// balanceBefore returns addr's net indexed balance of each asset before
// block `before` (never negative: balances from before the indexed range
// are unknown). The caller has checked with counts that the history is
// short (a wallet, not a busy service).
func (g *graph) balanceBefore(ctx context.Context, addr common.Address, before uint64) (map[common.Address]float64, error) {
	a, err := g.idOf(ctx, addr)
	if err != nil {
		return nil, err
	}
	// Grouped by the assets' dictionary ids (resolved below): the
	// view's text columns would cost a dictionary lookup per row.
	rows, err := g.db.QueryContext(ctx, `
		SELECT asset, SUM(v) FROM (
			SELECT asset_id AS asset, CAST(amount AS DOUBLE PRECISION) AS v FROM flows WHERE dst_id = ? AND kind = 'transfer' AND block < ?
			UNION ALL SELECT asset_out_id, CAST(amount_out AS DOUBLE PRECISION) FROM flows WHERE dst_id = ? AND kind = 'swap' AND block < ?
			UNION ALL SELECT asset_id, -CAST(amount AS DOUBLE PRECISION) FROM flows WHERE src_id = ? AND block < ?
		) AS b GROUP BY asset`, a, before, a, before, a, before)
	if err != nil {
		return nil, fmt.Errorf("trace: balance of %s: %w", addr, err)
	}
	sums := map[int64]float64{}
	var need []int64
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var id sql.NullInt64 // NULL: a swap without an output asset (the zero address, as the text view gives)
			var v float64
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			if v > 0 {
				k := id.Int64
				if !id.Valid {
					k = noAddr
				}
				sums[k] = v
				if _, ok := g.addrs[k]; !ok && id.Valid {
					need = append(need, k)
				}
			}
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, fmt.Errorf("trace: balance of %s: %w", addr, err)
	}
	if err := g.resolve(ctx, need); err != nil {
		return nil, err
	}
	out := make(map[common.Address]float64, len(sums))
	for id, v := range sums {
		out[g.addrs[id]] += v // noAddr resolves to the zero address
	}
	return out, nil
}

// converterKind returns the converter kind of addr ("" if none).
func (g *graph) converterKind(ctx context.Context, addr common.Address) (string, error) {
	if k, ok := g.conv[addr]; ok {
		return k, nil
	}
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
