package main

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/trace"
)

// A plant is one laundering flow planted in the synthetic background
// graph: from a source, splits (fan-out 2–4), peel chains and merges
// through fresh intermediate addresses that also have ordinary background
// flows in and out, ending at final holders. Its ground truth (the value
// each final holder received) is kept in memory to measure recall.
type plant struct {
	source  common.Address
	seedTx  common.Hash
	total   float64                    // ETH sent by the seed transaction
	holders map[common.Address]float64 // final holder → ETH received from the flow
	hops    map[common.Address]int     // final holder → hops from the seed's receiver (trace.Endpoint.Hops)
	inter   int                        // intermediate addresses
	flows   int                        // flows of the laundering itself (the seed included)
}

// plantedRow is a flow placed right after background flow at.
type plantedRow struct {
	at  int
	row index.FlowRow
}

// pnode is an address of a plant holding value at a hop.
type pnode struct {
	addr   common.Address
	hop    int
	amount float64 // ETH
	recv   int     // background index of its (last) planted inflow
}

// plantFlows plans k laundering flows inside a background graph of
// edges flows over addrs (receivers of background flows drawn from zipf
// or uniformly). It returns the ground truth and the rows (laundering and
// the intermediates' and holders' own background flows) sorted by the
// background index they follow. Deterministic: its own generator.
func plantFlows(k, edges int, addrs []common.Address) ([]plant, []plantedRow) {
	rng := rand.New(rand.NewPCG(11, 12))
	nodes := len(addrs)
	zipf := rand.NewZipf(rand.New(rand.NewPCG(13, 14)), 1.2, 8, uint64(nodes-1))
	var rows []plantedRow
	fresh := 0
	newAddr := func(p int) common.Address {
		fresh++
		return common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprint("plant", p, "addr", fresh)))[:20])
	}
	txn := 0
	clamp := func(at int) int { return min(max(at, 0), edges-1) }
	emit := func(p, at int, from, to common.Address, eth float64) common.Hash {
		txn++
		h := common.BytesToHash(crypto.Keccak256([]byte(fmt.Sprint("plant", p, "tx", txn))))
		wei, _ := new(big.Float).Mul(big.NewFloat(eth), big.NewFloat(1e18)).Int(nil)
		rows = append(rows, plantedRow{at: clamp(at), row: index.FlowRow{Tx: h, Kind: index.FlowTransfer, From: from, To: to, Asset: index.ETH(), Amount: wei}})
		return h
	}
	// gap is the background distance between two hops (≥ 2 blocks).
	gap := max(200, min(2000, edges/(k+2)/40))
	// background gives a at most 6 ordinary inflows and outflows of
	// 0.01–5 ETH around [from, to], before and after its planted flows.
	background := func(p int, a common.Address, from, to int, outs bool) {
		lo, hi := from-20*gap, to+20*gap
		for range 2 + rng.IntN(5) {
			emit(p, lo+rng.IntN(hi-lo+1), addrs[rng.IntN(nodes)], a, 0.01+rng.Float64()*5)
		}
		if !outs {
			return
		}
		for range 2 + rng.IntN(5) {
			to := addrs[rng.IntN(nodes)]
			if rng.IntN(2) == 0 {
				to = addrs[zipf.Uint64()]
			}
			emit(p, lo+rng.IntN(hi-lo+1), a, to, 0.01+rng.Float64()*5)
		}
	}
	// splitAmounts divides v into n ≤ 4 parts of at least 15 % each.
	splitAmounts := func(v float64, n int) []float64 {
		w := make([]float64, n)
		sum := 0.0
		for i := range w {
			w[i] = rng.Float64() + 0.01
			sum += w[i]
		}
		for i := range w {
			w[i] = v * (0.15 + (1-0.15*float64(n))*w[i]/sum)
		}
		return w
	}
	plants := make([]plant, k)
	for p := range plants {
		pl := &plants[p]
		pl.holders, pl.hops = map[common.Address]float64{}, map[common.Address]int{}
		pl.source = newAddr(p)
		pl.total = math.Round(2000 + rng.Float64()*8000)
		t0 := clamp(edges * (p + 1) / (k + 1))
		first := pnode{addr: newAddr(p), hop: 0, amount: pl.total, recv: t0}
		pl.seedTx = emit(p, t0, pl.source, first.addr, pl.total)
		pl.flows++
		background(p, pl.source, t0, t0, true)
		var holdersAt []int // background index each holder received at
		hold := func(n pnode) {
			pl.holders[n.addr] += n.amount
			if h, ok := pl.hops[n.addr]; !ok || n.hop < h {
				pl.hops[n.addr] = n.hop
			}
			holdersAt = append(holdersAt, n.recv)
		}
		frontier := []pnode{first}
		const depth = 6 // final holders at hop 6: six hops after the seed's receiver
		for hop := 0; hop < depth; hop++ {
			pl.inter += len(frontier)
			for _, n := range frontier {
				background(p, n.addr, n.recv, n.recv+gap, true)
			}
			var next []pnode
			send := func(from pnode, to common.Address, eth float64, at int) pnode {
				emit(p, at, from.addr, to, eth)
				pl.flows++
				return pnode{addr: to, hop: hop + 1, amount: eth, recv: at}
			}
			at := func() int { return t0 + (hop+1)*gap + rng.IntN(gap/2) }
			if hop == depth-1 {
				// The last layer pays the final holders: 1–3 each, and at
				// least 8 holders per plant in all.
				need := max(0, 8-len(pl.holders))
				for i, n := range frontier {
					c := 1 + rng.IntN(3)
					if rest := len(frontier) - i; need > 0 {
						c = max(c, min(4, (need+rest-1)/rest))
					}
					need -= c
					for _, v := range splitAmounts(n.amount, c) {
						hold(send(n, newAddr(p), v, at()))
					}
				}
				break
			}
			// Merges: from hop 2 on, two of a wide frontier's addresses
			// may pay one fresh address.
			if hop >= 2 && len(frontier) >= 4 && rng.IntN(2) == 0 {
				i := rng.IntN(len(frontier) - 1)
				a, b := frontier[i], frontier[i+1]
				m := newAddr(p)
				ta, tb := at(), at()
				send(a, m, a.amount, ta)
				send(b, m, b.amount, tb)
				next = append(next, pnode{addr: m, hop: hop + 1, amount: a.amount + b.amount, recv: max(ta, tb)})
				frontier = slices.Delete(slices.Clone(frontier), i, i+2)
			}
			for i, n := range frontier {
				// At most 8 addresses per hop: room for a split.
				room := 8 - len(next) - (len(frontier) - i - 1)
				switch r := rng.IntN(10); {
				case room >= 2 && (hop < 2 || r < 5):
					// Split, fan-out 2–4.
					for _, v := range splitAmounts(n.amount, min(room, 2+rng.IntN(3))) {
						next = append(next, send(n, newAddr(p), v, at()))
					}
				case n.amount >= 0.08*pl.total && r < 8:
					// Peel: 8–20 % to a final holder, the rest onward.
					peel := n.amount * (0.08 + 0.12*rng.Float64())
					hold(send(n, newAddr(p), peel, at()))
					next = append(next, send(n, newAddr(p), n.amount-peel, at()))
				default:
					// Hop to a fresh address.
					next = append(next, send(n, newAddr(p), n.amount, at()))
				}
			}
			frontier = next
		}
		for a := range pl.holders {
			background(p, a, holdersAt[0], holdersAt[0], false)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].at < rows[j].at })
	return plants, rows
}

// plantBench traces forward from each plant's seed transaction and
// reports latency, nodes visited, depth reached and recall of the final
// holders' value.
func plantBench(ctx context.Context, g *index.DB, desc string, plants []plant, cli bool) error {
	var nh, ni, nf int
	var minHolder = math.Inf(1)
	for _, p := range plants {
		nh += len(p.holders)
		ni += p.inter
		nf += p.flows
		for _, v := range p.holders {
			minHolder = min(minHolder, v/p.total)
		}
	}
	fmt.Printf("trace: %s: %d planted laundering flows: %d laundering transfers through %d intermediate addresses to %d final holders (%.1f per plant; smallest holder %.1f %% of its plant)\n",
		desc, len(plants), nf, ni, nh, float64(nh)/float64(len(plants)), 100*minHolder)
	for _, mode := range []struct {
		name string
		opts trace.Options
	}{
		{"haircut, default --min-value", trace.Options{MaxHops: 6, MaxNodes: 1000}},
		{"poison, default --min-value", trace.Options{MaxHops: 6, MaxNodes: 1000, Model: trace.Poison}},
		{"fifo, default --min-value", trace.Options{MaxHops: 6, MaxNodes: 1000, Model: trace.FIFO}},
		{"poison, --min-value 1e-12", trace.Options{MaxHops: 6, MaxNodes: 1000, Model: trace.Poison, MinValue: 1e-12}},
	} {
		var lat []time.Duration
		var visited, expansions, depth []int
		var recalls, amtRecalls []float64
		var found, truncated, full int
		for _, p := range plants {
			o := mode.opts
			h := p.seedTx
			o.Tx = &h
			if cli {
				asCLI(g, &o)
			}
			t0 := time.Now()
			res, err := trace.Run(ctx, g, o)
			if err != nil {
				return fmt.Errorf("plant %s: %w", h.Hex(), err)
			}
			lat = append(lat, time.Since(t0))
			visited = append(visited, res.Visited)
			expansions = append(expansions, res.Expansions)
			if res.Truncated {
				truncated++
			}
			eps := map[common.Address]trace.Endpoint{}
			for _, e := range res.Endpoints {
				eps[e.Address] = e
			}
			var all, got, amt float64
			d := 0
			for a, v := range p.holders {
				all += v
				if e, ok := eps[a]; ok {
					got += v
					amt += min(e.Value, v)
					found++
					d = max(d, e.Hops)
				}
			}
			// Depth reached: the deepest node the trace touched (edges
			// followed), not only holders.
			for _, e := range res.Endpoints {
				d = max(d, e.Hops)
			}
			depth = append(depth, d)
			recalls = append(recalls, got/all)
			amtRecalls = append(amtRecalls, amt/all)
			if got == all {
				full++
			}
		}
		slices.Sort(lat)
		slices.Sort(visited)
		slices.Sort(expansions)
		slices.Sort(depth)
		q := func(d []time.Duration, p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
		mean := func(x []float64) float64 {
			s := 0.0
			for _, v := range x {
				s += v
			}
			return s / float64(len(x))
		}
		fmt.Printf("trace: %s: %d planted traces, %s: p50 %s, p99 %s, max %s; nodes visited median %d, max %d; expansions median %d, max %d; truncated by the 1,000-expansion cap %d; depth reached min %d, median %d, max %d\n",
			desc, len(lat), mode.name, q(lat, 0.5).Round(time.Millisecond), q(lat, 0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond),
			visited[len(visited)/2], visited[len(visited)-1], expansions[len(expansions)/2], expansions[len(expansions)-1], truncated, depth[0], depth[len(depth)/2], depth[len(depth)-1])
		fmt.Printf("trace: %s: planted, %s: final holders found %d of %d; recall of final-holder value per plant: mean %.3f, min %.3f, plants at 1.0: %d of %d; taint amount attributed to the holders / their value: mean %.3f, min %.3f\n",
			desc, mode.name, found, nh, mean(recalls), slices.Min(recalls), full, len(plants), mean(amtRecalls), slices.Min(amtRecalls))
	}
	return nil
}
