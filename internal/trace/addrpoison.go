package trace

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/index"
)

// PatternAddressPoisoning is the finding for look-alike addresses in a
// traced address's history: a zero-value or dust transfer to or from an
// address whose first and last hex digits match one of its real
// counterparties (wallets show only those digits), planted so that the
// owner copies the look-alike from its history next time.
const PatternAddressPoisoning = "address-poisoning"

// lookAlikeDigits is how many leading and trailing hex digits must match.
const lookAlikeDigits = 4

// LookAlike reports whether a and b are different addresses that share
// their first and last lookAlikeDigits hex digits.
func LookAlike(a, b common.Address) bool {
	if a == b {
		return false
	}
	x, y := strings.ToLower(a.Hex()[2:]), strings.ToLower(b.Hex()[2:])
	n := lookAlikeDigits
	return x[:n] == y[:n] && x[len(x)-n:] == y[len(y)-n:]
}

// poisoning looks, for every expanded node, at the zero-value and dust
// transfers of its history (the index's dust table) and reports those
// whose counterparty looks like one of the node's real counterparties
// (its non-dust flows). Bounded: at most scan rows per query per node.
func (t *tracer) poisoning(ctx context.Context, res *Result) ([]Finding, error) {
	const scan = 500
	var addrs []common.Address
	for a, n := range t.nodes {
		if n.expanded {
			addrs = append(addrs, a)
		}
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Cmp(addrs[j]) < 0 })
	tainted := map[[2]common.Address]bool{}
	for _, e := range res.Edges {
		tainted[[2]common.Address{e.From, e.To}] = true
	}
	dusts, err := t.g.dustOf(ctx, addrs, scan)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, a := range addrs {
		ds := dusts[a]
		if len(ds) == 0 {
			continue
		}
		// Real counterparties: who a paid or was paid by (flows are net
		// movements, never zero).
		genuine := map[common.Address]bool{}
		for _, q := range []string{index.FirstDistinct("dst_id", "src_id = "+index.AddrID), index.FirstDistinct("src_id", "dst_id = "+index.AddrID)} {
			rows, err := t.g.db.QueryContext(ctx, `SELECT (SELECT addr FROM addrs WHERE id = d.c) FROM (`+q+`) AS d ORDER BY d.o`, index.Key(a), 20*scan, scan)
			if err != nil {
				return nil, fmt.Errorf("trace: counterparties of %s: %w", a, err)
			}
			for rows.Next() {
				var s []byte
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return nil, fmt.Errorf("trace: counterparties of %s: %w", a, err)
				}
				genuine[common.BytesToAddress(s)] = true
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return nil, fmt.Errorf("trace: counterparties of %s: %w", a, err)
			}
		}
		known := make([]common.Address, 0, len(genuine))
		for g := range genuine {
			known = append(known, g)
		}
		sort.Slice(known, func(i, j int) bool { return known[i].Cmp(known[j]) < 0 })
		seen := map[common.Address]bool{}
		for _, d := range ds {
			other := d.other
			if genuine[other] || seen[other] {
				continue
			}
			for _, r := range known {
				if !LookAlike(other, r) {
					continue
				}
				seen[other] = true
				what := "a zero-value"
				if d.amount != "0" {
					what = "a dust (" + d.amount + " base units)"
				}
				asset := "ETH"
				if d.kind != index.KindETH {
					asset = "token " + Short(d.asset)
				}
				detail := fmt.Sprintf("%s has %s %s transfer with %s in tx %s, a look-alike of its counterparty %s (same first and last %d hex digits): address poisoning",
					Short(a), what, asset, other.Hex(), d.tx.Hex(), r.Hex(), lookAlikeDigits)
				if tainted[[2]common.Address{a, other}] {
					detail += "; traced funds WERE sent to the look-alike"
				}
				out = append(out, Finding{Pattern: PatternAddressPoisoning, Addresses: []common.Address{a, other, r}, Detail: detail})
				break
			}
		}
	}
	return out, nil
}
