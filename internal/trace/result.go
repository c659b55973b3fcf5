package trace

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/labels"
)

// AssetName names an asset for people: "ETH" or the token's short address.
func AssetName(a common.Address) string {
	if a == index.ETH() {
		return "ETH"
	}
	return Short(a)
}

// Short abbreviates an address as 0x1234…abcd.
func Short(a common.Address) string {
	h := a.Hex()
	return h[:6] + "…" + h[len(h)-4:]
}

// Units converts a smallest-unit amount to whole units (18 decimals).
func Units(v float64) float64 { return v / 1e18 }

// finish turns the node states into endpoints and edges.
func (t *tracer) finish(ctx context.Context, res *Result) error {
	for _, n := range t.nodes {
		res.Dropped += max(n.dropped, 0)
		ep := Endpoint{Address: n.addr, Hops: n.hops, Label: n.label.Label, LabelSource: n.label.Source, Evidence: n.evidence}
		hold := map[common.Address]float64{}
		switch {
		case n.expanded && n.stop == "":
			ep.Share = n.retShare
			for a, v := range n.retained {
				hold[a] += v
			}
			ep.Kind = KindHolder
			if t.o.Direction == Backward {
				ep.Kind = KindOrigin
			}
		default:
			for _, l := range n.lots {
				ep.Share += l.share
				hold[l.asset] += l.amount
			}
			ep.Kind = n.stop
			if ep.Kind == "" {
				ep.Kind = KindUnexplored
			}
		}
		if ep.Share < 1e-9 || (ep.Share < t.minShare && ep.Kind == KindHolder) {
			continue // dust left behind (e.g. a sweep's unspent gas money)
		}
		if ep.Kind == KindHotWallet || ep.Kind == "exchange" {
			// The deposit addresses that paid the exchange.
			for _, e := range t.edges {
				if e.To == n.addr && !slices.Contains(ep.Deposits, e.From) {
					ep.Deposits = append(ep.Deposits, e.From)
				}
			}
			sort.Slice(ep.Deposits, func(i, j int) bool { return ep.Deposits[i].Cmp(ep.Deposits[j]) < 0 })
		}
		for a, v := range hold {
			ep.Holdings = append(ep.Holdings, Amount{Asset: a, Amount: v})
		}
		sort.Slice(ep.Holdings, func(i, j int) bool { return ep.Holdings[i].Asset.Cmp(ep.Holdings[j].Asset) < 0 })
		if ep.Kind == string(labels.Mixer) && t.o.MixerCandidates != nil {
			seen := map[common.Address]bool{}
			for _, e := range t.edges {
				if e.To != n.addr || seen[e.From] {
					continue
				}
				seen[e.From] = true
				cs, err := t.o.MixerCandidates(ctx, e.From, n.addr)
				if err != nil {
					return err
				}
				ep.Candidates = append(ep.Candidates, cs...)
			}
			sort.SliceStable(ep.Candidates, func(i, j int) bool { return ep.Candidates[i].Confidence > ep.Candidates[j].Confidence })
		}
		ep.Value = Units(ep.Share * res.MainTotal * float64(len(res.Totals)))
		ep.Path = t.path(n)
		ep.Explanation = t.explain(res, &ep)
		res.Endpoints = append(res.Endpoints, ep)
	}
	sort.Slice(res.Endpoints, func(i, j int) bool {
		a, b := res.Endpoints[i], res.Endpoints[j]
		if a.Share != b.Share {
			return a.Share > b.Share
		}
		return a.Address.Cmp(b.Address) < 0
	})
	for _, e := range t.edges {
		res.Edges = append(res.Edges, *e)
	}
	sort.Slice(res.Edges, func(i, j int) bool { return res.Edges[i].Order < res.Edges[j].Order })
	res.Findings = findings(res)
	poisoned, err := t.poisoning(ctx, res)
	if err != nil {
		return err
	}
	res.Findings = append(res.Findings, poisoned...)
	wash, err := t.washTrading(ctx)
	if err != nil {
		return err
	}
	res.Findings = append(res.Findings, wash...)
	if res.Truncated {
		res.Notes = append(res.Notes, fmt.Sprintf("stopped after %d expansions of %d nodes (--max-nodes): endpoints marked unexplored still hold taint that was not followed", res.Expansions, res.Visited))
	}
	if res.Dropped > 0.001 {
		res.Notes = append(res.Notes, fmt.Sprintf("%.2f%% of the value moved in pushes below --min-value and was not followed", 100*res.Dropped))
	}
	return nil
}

// path follows the strongest parents back to a seed.
func (t *tracer) path(n *node) []Step {
	var steps []Step
	seen := map[common.Address]bool{n.addr: true}
	for cur := n; cur.parent != nil && len(steps) < 64; {
		f := cur.parent
		st := Step{From: f.From, To: f.To, Tx: f.Tx, Block: f.Pos.Block, Kind: f.Kind, Asset: f.Asset, Via: f.Via}
		if e := t.edges[f.ID]; e != nil {
			st.Amount = e.Amount
		}
		if f.Kind == index.FlowSwap {
			st.AssetOut = f.AssetOut
		}
		prev := f.From
		if t.o.Direction == Backward {
			prev = f.To
		}
		st.Pattern = t.pattern(f)
		steps = append(steps, st)
		if seen[prev] {
			break
		}
		seen[prev] = true
		p, ok := t.nodes[prev]
		if !ok {
			break
		}
		cur = p
	}
	if t.o.Direction == Forward {
		for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
			steps[i], steps[j] = steps[j], steps[i]
		}
	}
	return steps
}

// chunkKey groups equal pushes between the same two addresses.
type chunkKey struct {
	from, to common.Address
	kind     string
	asset    common.Address
	amount   float64
}

// pattern names what the sender of f did with its taint: split (≥ 3
// recipients), peel (a small part, ≤ 20%, to one address and the rest to
// another), chunked (≥ 3 equal pushes to the same address, as into a
// fixed-denomination mixer).
func (t *tracer) pattern(f *flow) string {
	outs := t.outCount[f.From]
	var total float64
	k := 0
	for _, s := range outs {
		if s > 0 {
			total += s
			k++
		}
	}
	if t.chunks == nil {
		t.chunks = map[chunkKey]int{}
		for _, e := range t.edges {
			t.chunks[chunkKey{e.From, e.To, e.Kind, e.Asset, e.Amount}]++
		}
	}
	chunks := 0
	if e := t.edges[f.ID]; e != nil {
		chunks = t.chunks[chunkKey{e.From, e.To, e.Kind, e.Asset, e.Amount}]
	}
	var p string
	switch {
	case k >= 3:
		p = fmt.Sprintf("split 1 of %d", k)
	case k == 2 && total > 0 && outs[f.To]/total >= 0.8:
		p = "peel (rest onward)"
	case k == 2 && total > 0 && outs[f.To]/total <= 0.2:
		p = "peeled off"
	}
	if chunks >= 3 {
		c := fmt.Sprintf("chunked into %d equal transfers", chunks)
		if p == "" {
			return c
		}
		return p + ", " + c
	}
	return p
}

// explain writes an endpoint's one-line explanation.
func (t *tracer) explain(res *Result, ep *Endpoint) string {
	var b strings.Builder
	verb := "received"
	if t.o.Direction == Backward {
		verb = "supplied"
	}
	fmt.Fprintf(&b, "%s %s %.4g %s-equivalent (%.1f%%) of the %.4g %s traced", Short(ep.Address), verb, ep.Value, AssetName(res.MainAsset), 100*ep.Share*float64(len(res.Totals)), Units(res.MainTotal), AssetName(res.MainAsset))
	if len(res.Totals) > 1 {
		fmt.Fprintf(&b, " (+%d other assets)", len(res.Totals)-1)
	}
	fmt.Fprintf(&b, " via %d hop(s)", len(ep.Path))
	var parts []string
	for _, s := range ep.Path {
		switch s.Kind {
		case index.FlowSwap:
			via := ""
			if len(s.Via) > 0 {
				names := make([]string, len(s.Via))
				for i, v := range s.Via {
					names[i] = Short(v)
				}
				via = " on " + strings.Join(names, "+")
			}
			parts = append(parts, fmt.Sprintf("swap %s→%s%s", AssetName(s.Asset), AssetName(s.AssetOut), via))
		default:
			p := fmt.Sprintf("%.4g %s to %s", Units(s.Amount), AssetName(s.Asset), Short(s.To))
			if s.Pattern != "" {
				p = s.Pattern + ": " + p
			}
			parts = append(parts, p)
		}
	}
	if len(parts) > 0 {
		b.WriteString(": " + strings.Join(parts, ", "))
	}
	if len(ep.Deposits) > 0 {
		names := make([]string, len(ep.Deposits))
		for i, d := range ep.Deposits {
			names[i] = d.Hex()
		}
		fmt.Fprintf(&b, "; deposited through %s", strings.Join(names, ", "))
	}
	switch {
	case ep.Label != "":
		fmt.Fprintf(&b, " — %s: %s (source: %s)", ep.Kind, ep.Label, ep.LabelSource)
	case ep.Evidence != "":
		fmt.Fprintf(&b, " — %s (%s)", ep.Kind, ep.Evidence)
	case ep.Kind != KindHolder && ep.Kind != KindOrigin:
		fmt.Fprintf(&b, " — %s", ep.Kind)
	}
	return b.String()
}
