package trace

import (
	"fmt"
	"sort"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/index"
)

// Laundering pattern names.
const (
	PatternFanOut        = "fan-out"
	PatternFanIn         = "fan-in"
	PatternPeelChain     = "peel-chain"
	PatternMixerChunking = "mixer-chunking"
	PatternSwapBridge    = "swap-then-bridge"
	PatternRapidHops     = "rapid-multi-hop"
)

// Finding is a laundering pattern seen in the tainted flows.
type Finding struct {
	Pattern   string           `json:"pattern"`
	Addresses []common.Address `json:"addresses"`
	Detail    string           `json:"detail"`
}

// findings detects laundering patterns in r's tainted edges and paths.
func findings(r *Result) []Finding {
	var out []Finding
	outs := map[common.Address][]Edge{}
	ins := map[common.Address]map[common.Address]bool{}
	kind := map[common.Address]string{}
	for _, e := range r.Endpoints {
		kind[e.Address] = e.Kind
	}
	for _, e := range r.Edges {
		if e.From == e.To {
			continue
		}
		outs[e.From] = append(outs[e.From], e)
		if ins[e.To] == nil {
			ins[e.To] = map[common.Address]bool{}
		}
		ins[e.To][e.From] = true
	}
	addrs := make([]common.Address, 0, len(outs))
	for a := range outs {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Cmp(addrs[j]) < 0 })
	// peel step: a small part (≤ 20%) to one address, the rest onward.
	peelNext := map[common.Address]common.Address{}
	for _, a := range addrs {
		es := outs[a]
		dst := map[common.Address]float64{}
		var total float64
		lo, hi := es[0].Block, es[0].Block
		for _, e := range es {
			dst[e.To] += e.Share
			total += e.Share
			lo, hi = min(lo, e.Block), max(hi, e.Block)
		}
		if len(dst) >= 3 && hi-lo <= 20 {
			out = append(out, Finding{Pattern: PatternFanOut, Addresses: []common.Address{a},
				Detail: fmt.Sprintf("%s split its taint over %d addresses within %d blocks", Short(a), len(dst), hi-lo)})
		}
		if len(dst) == 2 && total > 0 {
			for to, s := range dst {
				if s/total >= 0.8 {
					peelNext[a] = to
				}
			}
		}
		// Equal transfers to one destination.
		type key struct {
			to  common.Address
			amt float64
		}
		n := map[key]int{}
		for _, e := range es {
			if e.Kind == index.FlowTransfer {
				n[key{e.To, e.Amount}]++
			}
		}
		for k, c := range n {
			if c >= 3 {
				out = append(out, Finding{Pattern: PatternMixerChunking, Addresses: []common.Address{a, k.to},
					Detail: fmt.Sprintf("%s sent %d equal transfers of %.4g %s to %s (%s)", Short(a), c, Units(k.amt), AssetName(es[0].Asset), Short(k.to), orDash(kind[k.to]))})
			}
		}
	}
	for to, from := range ins {
		if len(from) >= 3 {
			out = append(out, Finding{Pattern: PatternFanIn, Addresses: []common.Address{to},
				Detail: fmt.Sprintf("%s collected taint from %d addresses (%s)", Short(to), len(from), orDash(kind[to]))})
		}
	}
	// Peel chains: two or more consecutive peel steps.
	for _, a := range addrs {
		if _, ok := peelNext[a]; !ok {
			continue
		}
		isStart := true
		for _, n := range peelNext {
			if n == a {
				isStart = false
			}
		}
		if !isStart {
			continue
		}
		chain := []common.Address{a}
		for cur := a; len(chain) < 64; {
			n, ok := peelNext[cur]
			if !ok {
				chain = append(chain, cur)
				break
			}
			cur = n
			if _, more := peelNext[cur]; !more {
				chain = append(chain, cur)
				break
			}
			chain = append(chain, cur)
		}
		chain = dedupe(chain)
		if len(chain) >= 3 {
			out = append(out, Finding{Pattern: PatternPeelChain, Addresses: chain,
				Detail: fmt.Sprintf("peel chain of %d hops from %s to %s", len(chain)-1, Short(chain[0]), Short(chain[len(chain)-1]))})
		}
	}
	// Along each endpoint's path: swap then bridge; many hops fast.
	for _, ep := range r.Endpoints {
		if len(ep.Path) == 0 {
			continue
		}
		if ep.Kind == "bridge" {
			for _, s := range ep.Path {
				if s.Kind == index.FlowSwap {
					out = append(out, Finding{Pattern: PatternSwapBridge, Addresses: []common.Address{s.To, ep.Address},
						Detail: fmt.Sprintf("swapped %s→%s then bridged via %s", AssetName(s.Asset), AssetName(s.AssetOut), Short(ep.Address))})
					break
				}
			}
		}
		if n := len(ep.Path); n >= 4 && ep.Path[n-1].Block-ep.Path[0].Block <= 20 {
			out = append(out, Finding{Pattern: PatternRapidHops, Addresses: []common.Address{ep.Address},
				Detail: fmt.Sprintf("%d hops within %d blocks to %s", n, ep.Path[n-1].Block-ep.Path[0].Block, Short(ep.Address))})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pattern != out[j].Pattern {
			return out[i].Pattern < out[j].Pattern
		}
		return out[i].Addresses[0].Cmp(out[j].Addresses[0]) < 0
	})
	return out
}

func orDash(s string) string {
	if s == "" {
		return "intermediate"
	}
	return s
}

func dedupe(s []common.Address) []common.Address {
	var out []common.Address
	for _, a := range s {
		if len(out) == 0 || out[len(out)-1] != a {
			out = append(out, a)
		}
	}
	return out
}
