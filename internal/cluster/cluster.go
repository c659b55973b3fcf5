// Package cluster groups addresses that are likely controlled by the same
// entity, from the transfer graph (internal/index), with per-link evidence
// and confidence, and recognises services by their behaviour:
//
//   - exchange deposit addresses and hot wallets: a deposit address
//     forwards nearly all it receives (≥ 90%) to one hub within a few
//     blocks and sends nowhere else; a hub that collects from several
//     such addresses (≥ 3) paid by several different senders (≥ 3) is an
//     exchange hot wallet (one source split into forwarders that sweep to
//     one address is a launderer's consolidation instead);
//   - fixed-denomination mixer pools: a contract whose inflows are nearly
//     all (≥ 80%, ≥ 5) of one amount from several senders and whose
//     outflows are of that same amount;
//   - common gas funder: addresses whose first ETH came from the same
//     funder;
//   - deployer links: contracts created or paid for by an address.
//
// Mixer deposit/withdrawal linkage (same denomination, withdrawal after
// the deposit within a time window, gas price match) is reported as
// candidates, never as fact.
package cluster

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/trace"
)

// Link kinds.
const (
	LinkDeposit        = "exchange-deposit"
	LinkFunder         = "common-funder"
	LinkDeployer       = "deployer"
	LinkMixerCandidate = "mixer-candidate"
)

// Link is one piece of evidence that two addresses are related.
type Link struct {
	From       common.Address `json:"from"`
	To         common.Address `json:"to"`
	Kind       string         `json:"kind"`
	Confidence float64        `json:"confidence"`
	Evidence   string         `json:"evidence"`
	// Candidate is true for links that are hypotheses to check (mixer
	// linkage), never facts.
	Candidate bool `json:"candidate,omitempty"`
}

// Cluster is an address's related addresses.
type Cluster struct {
	Address common.Address `json:"address"`
	// Role is what the address itself looks like: exchange-hot-wallet,
	// exchange-deposit, mixer-pool or "".
	Role     string `json:"role,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	Links    []Link `json:"links"`
}

// Detector answers behavioural questions about addresses.
type Detector struct {
	db *index.SQLDB
	// Window is how many blocks a deposit address may take to forward
	// (default 100).
	Window uint64
	// MinDeposits is how many deposit-like forwarders make a hot wallet
	// (default 3).
	MinDeposits int
	// Scan bounds the rows read per question (default 500).
	Scan int
}

// New returns a Detector over the index g.
func New(g *index.DB) *Detector {
	return &Detector{db: g.SQL(), Window: 100, MinDeposits: 3, Scan: 500}
}

// forwarder reports whether a forwards ≥ 90% of what it received to hub
// (and nowhere else) within Window blocks of first receiving.
func (d *Detector) forwarder(ctx context.Context, a, hub common.Address) (bool, string, error) {
	// Sends nowhere but hub (one that sends nothing fails the sums).
	var sole bool
	if err := d.db.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM flows WHERE src_id = `+index.AddrID+` AND dst_id <> `+index.AddrID+`)`,
		index.Key(a), index.Key(hub)).Scan(&sole); err != nil {
		return false, "", fmt.Errorf("cluster: %w", err)
	}
	if !sole {
		return false, "", nil
	}
	return d.forwards(ctx, a, hub)
}

// forwardSums are the four aggregates of a forwarder test as SQL
// expressions over the sender's id s and the hub's id h (SQL expressions
// themselves); the first two take the ETH key as their one argument: ETH
// received, ETH sent to the hub, first inflow block, last outflow block.
func forwardSums(s, h string) []string {
	return []string{
		`(SELECT SUM(CAST(amount AS DOUBLE PRECISION)) FROM flows WHERE dst_id = ` + s + ` AND kind = 'transfer' AND asset_id = ` + index.AddrID + `)`,
		`(SELECT SUM(CAST(amount AS DOUBLE PRECISION)) FROM flows WHERE src_id = ` + s + ` AND dst_id = ` + h + ` AND asset_id = ` + index.AddrID + `)`,
		`(SELECT MIN(block) FROM flows WHERE dst_id = ` + s + `)`,
		`(SELECT MAX(block) FROM flows WHERE src_id = ` + s + `)`,
	}
}

// forwardVerdict judges forwardSums: at least 90% of the ETH received
// went to the hub, within Window blocks of first receiving.
func (d *Detector) forwardVerdict(hub common.Address, recv, sent, firstIn, lastOut sql.NullFloat64) (bool, string) {
	if recv.Float64 <= 0 || sent.Float64 < 0.9*recv.Float64 {
		return false, ""
	}
	if lastOut.Float64-firstIn.Float64 > float64(d.Window) {
		return false, ""
	}
	return true, fmt.Sprintf("forwarded %.1f%% of the %.4g ETH it received to %s within %d blocks, nowhere else", 100*sent.Float64/recv.Float64, recv.Float64/1e18, hub.Hex(), int(lastOut.Float64-firstIn.Float64))
}

// forwards is forwarder for an address a known to send only to hub, in
// one statement.
func (d *Detector) forwards(ctx context.Context, a, hub common.Address) (bool, string, error) {
	eth := index.Key(index.ETH())
	var recv, sent, firstIn, lastOut sql.NullFloat64
	ka, kh := index.Key(a), index.Key(hub)
	err := d.db.QueryRowContext(ctx, `SELECT `+strings.Join(forwardSums(index.AddrID, index.AddrID), ", "), ka, eth, ka, kh, eth, ka, ka).Scan(&recv, &sent, &firstIn, &lastOut)
	if err != nil {
		return false, "", fmt.Errorf("cluster: %w", err)
	}
	ok, why := d.forwardVerdict(hub, recv, sent, firstIn, lastOut)
	return ok, why, nil
}

// HotWallet reports whether hub collects from at least MinDeposits
// deposit-like forwarders. It stops at the first MinDeposits found (and
// checks at most 50 senders), so it is cheap enough to ask about every
// node of a trace; Deposits lists them all.
func (d *Detector) HotWallet(ctx context.Context, hub common.Address) (bool, string, []common.Address, error) {
	return d.hotWallet(ctx, hub, 50, true)
}

// Deposits is HotWallet checking every sender (up to Scan) and returning
// all the deposit-like addresses.
func (d *Detector) Deposits(ctx context.Context, hub common.Address) (bool, string, []common.Address, error) {
	return d.hotWallet(ctx, hub, d.Scan, false)
}

// sender is one sender to a hub with the forwarder test's inputs.
type sender struct {
	addr                         common.Address
	only                         bool // sends to nobody but the hub
	recv, sent, firstIn, lastOut sql.NullFloat64
}

// senders reads, for the senders ids (in that order) of the hub hubID,
// their addresses, whether each sends to nobody but the hub and, for
// those, the forwarder test's sums: one statement.
func (d *Detector) senders(ctx context.Context, hubID int64, ids []int64) ([]sender, error) {
	// Cheapest first: whether it sends only to the hub (one index
	// probe), then its first inflow and last outflow (one each), and the
	// two sums only for a sender that passes the time window.
	f, g := forwardSums("t.id", "?"), forwardSums("s.id", "?")
	// The IN list is padded to a power of two (repeating the last id):
	// a handful of statement texts for the statement cache.
	size := 1
	for size < len(ids) {
		size *= 2
	}
	eth := index.Key(index.ETH())
	args := []any{d.Window, eth, d.Window, hubID, eth, hubID}
	for i := range size {
		args = append(args, ids[min(i, len(ids)-1)])
	}
	rows, err := d.db.QueryContext(ctx, `SELECT t.id, t.addr, t.sole_dst,
		CASE WHEN t.sole_dst AND t.last_out - t.first_in <= ? THEN `+f[0]+` END,
		CASE WHEN t.sole_dst AND t.last_out - t.first_in <= ? THEN `+f[1]+` END,
		t.first_in, t.last_out FROM (
		SELECT s.id, s.addr, s.sole_dst,
			CASE WHEN s.sole_dst THEN `+g[2]+` END AS first_in,
			CASE WHEN s.sole_dst THEN `+g[3]+` END AS last_out FROM (
		SELECT a.id, a.addr, NOT EXISTS (SELECT 1 FROM flows o WHERE o.src_id = a.id AND o.dst_id <> ?) AS sole_dst
		FROM addrs a WHERE a.id IN (?`+strings.Repeat(", ?", size-1)+`)) AS s) AS t`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]sender{}
	for rows.Next() {
		var id int64
		var a []byte
		var x sender
		if err := rows.Scan(&id, &a, &x.only, &x.recv, &x.sent, &x.firstIn, &x.lastOut); err != nil {
			return nil, err
		}
		x.addr = common.BytesToAddress(a)
		byID[id] = x
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]sender, 0, len(ids))
	for _, id := range ids {
		if x, ok := byID[id]; ok {
			out = append(out, x)
		}
	}
	return out, nil
}

func (d *Detector) hotWallet(ctx context.Context, hub common.Address, scan int, early bool) (bool, string, []common.Address, error) {
	// The first scan distinct senders, in time order, among hub's first
	// 4·scan transfer inflows (read from the covering flows_dst index;
	// deduplicated here, since DISTINCT … LIMIT may make PostgreSQL
	// scan the other flow index whole).
	kh := index.Key(hub)
	var hubID int64
	if err := d.db.QueryRowContext(ctx, `SELECT `+index.AddrID, kh).Scan(&hubID); err != nil {
		return false, "", nil, fmt.Errorf("cluster: %w", err)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT src_id FROM flows WHERE dst_id = ? AND kind = 'transfer' ORDER BY block, tx_index, seq LIMIT ?`, hubID, 4*scan)
	if err != nil {
		return false, "", nil, fmt.Errorf("cluster: inflows of %s: %w", hub, err)
	}
	var ids []int64
	seen := map[int64]bool{}
	for rows.Next() && len(ids) < scan {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return false, "", nil, fmt.Errorf("cluster: %w", err)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return false, "", nil, fmt.Errorf("cluster: inflows of %s: %w", hub, err)
	}
	if len(ids) < d.MinDeposits {
		return false, "", nil, nil
	}
	srcs, err := d.senders(ctx, hubID, ids)
	if err != nil {
		return false, "", nil, fmt.Errorf("cluster: senders to %s: %w", hub, err)
	}
	if len(srcs) < d.MinDeposits {
		return false, "", nil, nil
	}
	// The deposit addresses must be paid by different customers: one
	// source splitting into forwarders that all sweep to one address is
	// a consolidation (a launderer's own fan-in), not an exchange.
	var deps []common.Address
	funders := map[int64]bool{}
	for _, x := range srcs {
		if !x.only {
			continue // sends elsewhere too: not a deposit address
		}
		if ok, _ := d.forwardVerdict(hub, x.recv, x.sent, x.firstIn, x.lastOut); !ok {
			continue
		}
		s := x.addr
		deps = append(deps, s)
		rows, err := d.db.QueryContext(ctx, `SELECT d.c FROM (`+index.FirstDistinct("src_id", "dst_id = "+index.AddrID)+`) AS d ORDER BY d.o`, index.Key(s), 200, 10)
		if err != nil {
			return false, "", nil, fmt.Errorf("cluster: funders of %s: %w", s, err)
		}
		for rows.Next() {
			var f int64
			if err := rows.Scan(&f); err != nil {
				rows.Close()
				return false, "", nil, fmt.Errorf("cluster: %w", err)
			}
			funders[f] = true
		}
		rows.Close()
		if early && len(deps) >= d.MinDeposits && len(funders) >= d.MinDeposits {
			break
		}
	}
	if len(deps) < d.MinDeposits || len(funders) < d.MinDeposits {
		return false, "", nil, nil
	}
	n := fmt.Sprint(len(deps))
	if early {
		n = "at least " + n
	}
	return true, fmt.Sprintf("collects from %s deposit-like addresses paid by %d different senders (each forwarded ≥ 90%% of its receipts here within %d blocks)", n, len(funders), d.Window), deps, nil
}

// mixerScan is the most inflows or outflows MixerPool reads per question:
// a pool's first 10,000 deposits show its denomination as well as all.
const mixerScan = 10_000

// MixerPool reports whether a behaves like a fixed-denomination mixer
// pool (a created contract whose inflows are nearly all one amount from
// several senders and whose outflows are that amount; judged on its
// first mixerScan inflows and outflows).
func (d *Detector) MixerPool(ctx context.Context, a common.Address) (bool, string, error) {
	ka := index.Key(a)
	var isContract int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM contracts WHERE address_id = `+index.AddrID, ka).Scan(&isContract); err != nil {
		return false, "", fmt.Errorf("cluster: %w", err)
	}
	if isContract == 0 {
		return false, "", nil
	}
	// Every question reads at most mixerScan flows (a busy contract
	// met by a trace must not cost a scan of its whole history).
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM flows WHERE dst_id = `+index.AddrID+` AND kind = 'transfer' LIMIT ?) AS f`, ka, mixerScan).Scan(&total); err != nil {
		return false, "", fmt.Errorf("cluster: %w", err)
	}
	if total < 5 {
		return false, "", nil
	}
	var (
		amount     string
		n, senders int
	)
	err := d.db.QueryRowContext(ctx, `SELECT amount, COUNT(*) AS n, COUNT(DISTINCT src_id) FROM (
		SELECT asset_id, amount, src_id FROM flows WHERE dst_id = `+index.AddrID+` AND kind = 'transfer' LIMIT ?) AS f
		GROUP BY asset_id, amount ORDER BY n DESC LIMIT 1`, ka, mixerScan).Scan(&amount, &n, &senders)
	if err != nil {
		return false, "", fmt.Errorf("cluster: %w", err)
	}
	if float64(n) < 0.8*float64(total) || senders < 2 {
		return false, "", nil
	}
	var odd, outs int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN amount <> ? THEN 1 ELSE 0 END), 0) FROM (
		SELECT amount FROM flows WHERE src_id = `+index.AddrID+` LIMIT ?) AS f`, amount, ka, mixerScan).Scan(&outs, &odd); err != nil {
		return false, "", fmt.Errorf("cluster: %w", err)
	}
	if odd > 0 {
		return false, "", nil
	}
	v, _ := strconv.ParseFloat(amount, 64)
	return true, fmt.Sprintf("fixed-denomination pool: %d of %d deposits are exactly %.4g from %d senders; all %d withdrawals pay that amount", n, total, v/1e18, senders, outs), nil
}

// Classify returns the service kind a trace should stop at
// ("exchange-hot-wallet", "mixer") and why, or "" (trace.Options.Classify).
// Reached through via in a forward trace, a is tested as a hot wallet
// only when via forwards to it like a deposit address: funds enter an
// exchange through a deposit address, and the hot-wallet test (up to 50
// senders each checked) asked of every address a trace reaches was most
// of a deep trace's time. A hot wallet reached otherwise is not named
// one (a busy one stops the trace as a hub).
// With a zero via (a seed, a backward trace) the test always runs.
func (d *Detector) Classify(ctx context.Context, a, via common.Address) (string, string, error) {
	// The two cheap tests every address reached gets, in one statement
	// (a round trip each on PostgreSQL): is a a created contract (only
	// those can be mixer pools), and does via send to nobody but a?
	ka, kv := index.Key(a), index.Key(via)
	var contract, sole bool
	if err := d.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM contracts WHERE address_id = `+index.AddrID+`),
		NOT EXISTS (SELECT 1 FROM flows WHERE src_id = `+index.AddrID+` AND dst_id <> `+index.AddrID+`)`, ka, kv, ka).Scan(&contract, &sole); err != nil {
		return "", "", fmt.Errorf("cluster: classify %s: %w", a, err)
	}
	if contract {
		ok, why, err := d.MixerPool(ctx, a)
		if err != nil || ok {
			if ok {
				return "mixer", why + " (inferred)", nil
			}
			return "", "", err
		}
	}
	if via != (common.Address{}) {
		if !sole {
			return "", "", nil
		}
		if ok, _, err := d.forwards(ctx, via, a); err != nil || !ok {
			return "", "", err
		}
	}
	ok, why, _, err := d.HotWallet(ctx, a)
	if err != nil || !ok {
		return "", "", err
	}
	return "exchange-hot-wallet", why + " (inferred)", nil
}

// TraceCandidates is trace.Options.MixerCandidates for this detector:
// its MixerCandidates as the trace's candidates.
func (d *Detector) TraceCandidates(ctx context.Context, dep, pool common.Address) ([]trace.Candidate, error) {
	links, err := d.MixerCandidates(ctx, dep, pool)
	if err != nil {
		return nil, err
	}
	out := make([]trace.Candidate, len(links))
	for i, l := range links {
		out[i] = trace.Candidate{Address: l.To, Confidence: l.Confidence, Evidence: l.Evidence}
	}
	return out, nil
}

// Cluster collects a's links.
func (d *Detector) Cluster(ctx context.Context, a common.Address) (*Cluster, error) {
	c := &Cluster{Address: a}
	aa, ka := index.Addr(a), index.Key(a)
	// Role: hot wallet, deposit address or mixer pool.
	if ok, why, deps, err := d.Deposits(ctx, a); err != nil {
		return nil, err
	} else if ok {
		c.Role, c.Evidence = "exchange-hot-wallet", why
		for _, dep := range deps {
			_, ev, err := d.forwarder(ctx, dep, a)
			if err != nil {
				return nil, err
			}
			c.Links = append(c.Links, Link{From: dep, To: a, Kind: LinkDeposit, Confidence: 0.8, Evidence: ev})
		}
	}
	if c.Role == "" {
		var hub string
		err := d.db.QueryRowContext(ctx, `SELECT dst FROM flows WHERE src_id = `+index.AddrID+` LIMIT 1`, ka).Scan(&hub)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("cluster: %w", err)
		}
		if hub != "" {
			h := common.HexToAddress(hub)
			if ok, ev, err := d.forwarder(ctx, a, h); err != nil {
				return nil, err
			} else if ok {
				if hw, why, _, err := d.HotWallet(ctx, h); err != nil {
					return nil, err
				} else if hw {
					c.Role, c.Evidence = "exchange-deposit", ev+"; the hub "+why
					c.Links = append(c.Links, Link{From: a, To: h, Kind: LinkDeposit, Confidence: 0.8, Evidence: ev})
				}
			}
		}
	}
	if c.Role == "" {
		if ok, why, err := d.MixerPool(ctx, a); err != nil {
			return nil, err
		} else if ok {
			c.Role, c.Evidence = "mixer-pool", why
		}
	}
	// Common gas funder.
	var funder string
	err := d.db.QueryRowContext(ctx, `SELECT src FROM flows WHERE dst_id = `+index.AddrID+` AND asset_id = `+index.AddrID+` AND kind = 'transfer' ORDER BY block, tx_index, seq LIMIT 1`,
		ka, index.Key(index.ETH())).Scan(&funder)
	if err != nil && err != sql.ErrNoRows {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	if funder != "" {
		f := common.HexToAddress(funder)
		rows, err := d.db.QueryContext(ctx, `SELECT (SELECT addr FROM addrs WHERE id = d.c) FROM (`+
			index.FirstDistinct("dst_id", "src_id = "+index.AddrID+" AND asset_id = "+index.AddrID+" AND kind = 'transfer'")+`) AS d ORDER BY d.o`,
			f.Bytes(), index.Key(index.ETH()), 20*d.Scan, d.Scan)
		if err != nil {
			return nil, fmt.Errorf("cluster: %w", err)
		}
		var sibs []string
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return nil, fmt.Errorf("cluster: %w", err)
			}
			if s := index.Addr(common.BytesToAddress(b)); s != aa {
				sibs = append(sibs, s)
			}
		}
		rows.Close()
		if len(sibs) < d.Scan-1 { // a hub funding everyone says little
			for _, s := range sibs {
				var first string
				err := d.db.QueryRowContext(ctx, `SELECT src FROM flows WHERE dst_id = `+index.AddrID+` AND asset_id = `+index.AddrID+` AND kind = 'transfer' ORDER BY block, tx_index, seq LIMIT 1`,
					common.HexToAddress(s).Bytes(), index.Key(index.ETH())).Scan(&first)
				if err != nil && err != sql.ErrNoRows {
					return nil, fmt.Errorf("cluster: %w", err)
				}
				if first == funder {
					c.Links = append(c.Links, Link{From: a, To: common.HexToAddress(s), Kind: LinkFunder, Confidence: 0.5,
						Evidence: fmt.Sprintf("both got their first ETH from %s", f.Hex())})
				}
			}
		}
	}
	// Deployer links.
	rows, err := d.db.QueryContext(ctx, `SELECT address, creator, funder, tx_hash FROM contracts WHERE creator_id = `+index.AddrID+` OR funder_id = `+index.AddrID+` OR address_id = `+index.AddrID+` LIMIT ?`, ka, ka, ka, d.Scan)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	for rows.Next() {
		var addr, creator, fund, tx string
		if err := rows.Scan(&addr, &creator, &fund, &tx); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cluster: %w", err)
		}
		switch {
		case addr == aa:
			c.Links = append(c.Links, Link{From: a, To: common.HexToAddress(fund), Kind: LinkDeployer, Confidence: 0.9,
				Evidence: fmt.Sprintf("contract deployed in %s, paid by %s (creator %s)", tx, fund, creator)})
		default:
			c.Links = append(c.Links, Link{From: a, To: common.HexToAddress(addr), Kind: LinkDeployer, Confidence: 0.9,
				Evidence: fmt.Sprintf("deployed contract %s in %s", addr, tx)})
		}
	}
	rows.Close()
	// Mixer linkage candidates.
	cands, err := d.mixerCandidates(ctx, a)
	if err != nil {
		return nil, err
	}
	c.Links = append(c.Links, cands...)
	sort.SliceStable(c.Links, func(i, j int) bool { return c.Links[i].Confidence > c.Links[j].Confidence })
	return c, nil
}

// MixerCandidates lists the withdrawals from pool (known to be a mixer,
// e.g. by label) that could be a's deposits coming out: same amount,
// after a deposit within Window blocks. Candidates, never facts.
func (d *Detector) MixerCandidates(ctx context.Context, a, pool common.Address) ([]Link, error) {
	return d.candidates(ctx, a, &pool)
}

// mixerCandidates lists withdrawals from the fixed-denomination pools a
// deposited into that pay the same amount after the deposit within
// Window blocks; a matching gas price raises the confidence a little.
func (d *Detector) mixerCandidates(ctx context.Context, a common.Address) ([]Link, error) {
	return d.candidates(ctx, a, nil)
}

func (d *Detector) candidates(ctx context.Context, a common.Address, pool *common.Address) ([]Link, error) {
	aa := index.Addr(a)
	q, args := `SELECT f.dst, f.amount, f.block, t.gas_price FROM flows f JOIN txs t ON t.hash_key = f.tx_key
		WHERE f.src_id = `+index.AddrID+` AND f.kind = 'transfer' LIMIT ?`, []any{index.Key(a), d.Scan}
	if pool != nil {
		q, args = `SELECT f.dst, f.amount, f.block, t.gas_price FROM flows f JOIN txs t ON t.hash_key = f.tx_key
		WHERE f.src_id = `+index.AddrID+` AND f.dst_id = `+index.AddrID+` AND f.kind = 'transfer' LIMIT ?`, []any{index.Key(a), index.Key(*pool), d.Scan}
	}
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	type dep struct {
		pool, amount, gas string
		block             uint64
	}
	var deps []dep
	for rows.Next() {
		var x dep
		if err := rows.Scan(&x.pool, &x.amount, &x.block, &x.gas); err != nil {
			rows.Close()
			return nil, fmt.Errorf("cluster: %w", err)
		}
		deps = append(deps, x)
	}
	rows.Close()
	var out []Link
	seen := map[string]bool{}
	checked := map[string]bool{}
	for _, x := range deps {
		if !checked[x.pool] && pool == nil {
			checked[x.pool] = true
			ok, _, err := d.MixerPool(ctx, common.HexToAddress(x.pool))
			if err != nil {
				return nil, err
			}
			if !ok {
				seen["pool:"+x.pool] = true
			}
		}
		if seen["pool:"+x.pool] {
			continue
		}
		wr, err := d.db.QueryContext(ctx, `SELECT f.dst, f.block, t.gas_price, t.sender FROM flows f JOIN txs t ON t.hash_key = f.tx_key
			WHERE f.src_id = `+index.AddrID+` AND f.amount = ? AND f.block > ? AND f.block <= ? LIMIT ?`, common.HexToAddress(x.pool).Bytes(), x.amount, x.block, x.block+d.Window, d.Scan)
		if err != nil {
			return nil, fmt.Errorf("cluster: %w", err)
		}
		for wr.Next() {
			var to, gas, sender string
			var blk uint64
			if err := wr.Scan(&to, &blk, &gas, &sender); err != nil {
				wr.Close()
				return nil, fmt.Errorf("cluster: %w", err)
			}
			if seen[to] {
				continue
			}
			seen[to] = true
			conf := 0.2
			ev := fmt.Sprintf("withdrew the same denomination from pool %s %d blocks after a deposit", x.pool, blk-x.block)
			if gas == x.gas && gas != "0" {
				conf += 0.1
				ev += "; same gas price " + gas
			}
			if to == aa {
				conf, ev = 0.9, ev+"; address reuse"
			}
			out = append(out, Link{From: a, To: common.HexToAddress(to), Kind: LinkMixerCandidate, Confidence: conf, Evidence: ev, Candidate: true})
		}
		wr.Close()
	}
	return out, nil
}
