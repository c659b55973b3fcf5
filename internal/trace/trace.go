// Package trace follows funds through aegis's transfer graph
// (internal/index): taint propagation with the poison, haircut or FIFO
// model, forward (where did the money go) or backward (where did it come
// from), ranked by a personalized-PageRank-style local push in the manner
// of TRacer: the node holding the most not-yet-propagated taint is
// expanded next, pushes below --min-value are dropped, and at most
// MaxNodes nodes are expanded, so the cost is bounded by the nodes
// visited, never by the chain's size. Cycles cannot loop (a node only
// re-pushes the increase of what it forwards), dust spam is dropped by
// the minimum share and huge fan-outs stop at the node (a hub).
//
// A trace stops and names the node at service boundaries: labelled
// exchanges, mixers, bridges and sanctioned addresses (internal/labels),
// AMM pools and wrappers receiving plain transfers, inferred exchange hot
// wallets (an address collecting from several deposit-like forwarders),
// hubs with too many outflows and the hop limit. Every endpoint gets a
// per-path explanation.
package trace

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/labels"
)

// Model is a taint propagation model.
type Model string

// The models.
const (
	// Poison taints every outflow of a node once it received any taint.
	Poison Model = "poison"
	// Haircut taints each outflow in proportion to the tainted share of
	// the node's balance at that time.
	Haircut Model = "haircut"
	// FIFO spends a node's receipts first in, first out.
	FIFO Model = "fifo"
)

// Direction is forward (destinations) or backward (origins).
type Direction string

// The directions.
const (
	Forward  Direction = "forward"
	Backward Direction = "backward"
)

// Endpoint kinds besides the label categories (exchange, mixer, bridge,
// sanctioned).
const (
	KindHolder     = "holder"
	KindPool       = "dex-pool"
	KindWrapper    = "wrapper"
	KindHotWallet  = "exchange-hot-wallet"
	KindHub        = "hub"
	KindMaxHops    = "max-hops"
	KindUnexplored = "unexplored"
	KindOrigin     = "origin"
)

// Errors.
var (
	// ErrUnknownTx means the transaction is not in the index.
	ErrUnknownTx = errors.New("trace: transaction not in the index")
	// ErrNoFlows means the seed moved no value.
	ErrNoFlows = errors.New("trace: no value moved")
)

// Options configure a trace. Exactly one of Tx and Address is set.
type Options struct {
	Tx        *common.Hash
	Address   *common.Address
	Direction Direction
	Model     Model
	// MaxHops stops expansion this many hops from a seed (default 12).
	MaxHops int
	// MinValue drops pushes worth less than this many whole units
	// (1e18 base units) of the main seed asset (default: 0.1% of the
	// seed total).
	MinValue float64
	// MaxNodes caps the nodes expanded (default 1,000).
	MaxNodes int
	// MaxFanout is the most outflows (inflows backward) a node may have
	// in the trace window before it is treated as a hub (default 500).
	MaxFanout int
	// Labels name service boundaries (nil: none).
	Labels *labels.Set
	// Classify, when set, names services recognised by behaviour
	// (internal/cluster: "exchange-hot-wallet", "mixer") with the
	// evidence; "" for none. via is the address whose flow reached addr
	// in a forward trace (zero for a seed and in a backward trace), so a
	// detector can keep its costly tests for the way a service is
	// reached (an exchange hot wallet through a deposit address). It is
	// asked again, with the new via, when another address's flow reaches
	// addr before addr is expanded.
	Classify func(ctx context.Context, addr, via common.Address) (kind, evidence string, err error)
	// MixerCandidates, when set, lists for a depositor the withdrawals
	// from a mixer pool that may be its deposits coming out
	// (internal/cluster); they are reported on mixer endpoints as
	// candidates, never followed.
	MixerCandidates func(ctx context.Context, depositor, pool common.Address) ([]Candidate, error)
}

func (o *Options) defaults() error {
	if (o.Tx == nil) == (o.Address == nil) {
		return errors.New("trace: give exactly one of a transaction or an address")
	}
	if o.Direction == "" {
		o.Direction = Forward
	}
	if o.Model == "" {
		o.Model = Haircut
	}
	switch o.Direction {
	case Forward, Backward:
	default:
		return fmt.Errorf("trace: direction %q: want forward or backward", o.Direction)
	}
	switch o.Model {
	case Poison, Haircut:
	case FIFO:
		if o.Direction == Backward {
			return errors.New("trace: the fifo model traces forward only")
		}
	default:
		return fmt.Errorf("trace: model %q: want poison, haircut or fifo", o.Model)
	}
	if o.MaxHops <= 0 {
		o.MaxHops = 12
	}
	if o.MaxNodes <= 0 {
		o.MaxNodes = 1000
	}
	if o.MaxFanout <= 0 {
		o.MaxFanout = 500
	}
	if o.MinValue < 0 || math.IsNaN(o.MinValue) || math.IsInf(o.MinValue, 0) {
		return fmt.Errorf("trace: min value %v must be a non-negative number", o.MinValue)
	}
	if o.Labels == nil {
		o.Labels = &labels.Set{}
	}
	return nil
}

// Candidate is a possible continuation of a trail through a mixer.
type Candidate struct {
	Address    common.Address `json:"address"`
	Confidence float64        `json:"confidence"`
	Evidence   string         `json:"evidence"`
}

// Amount is an amount of one asset in its smallest unit.
type Amount struct {
	Asset  common.Address `json:"asset"`
	Amount float64        `json:"amount"`
}

// Step is one hop of an endpoint's path.
type Step struct {
	From     common.Address   `json:"from"`
	To       common.Address   `json:"to"`
	Tx       common.Hash      `json:"tx"`
	Block    uint64           `json:"block"`
	Kind     string           `json:"kind"`
	Asset    common.Address   `json:"asset"`
	Amount   float64          `json:"amount"`
	AssetOut common.Address   `json:"asset_out,omitzero"`
	Via      []common.Address `json:"via,omitempty"`
	// Pattern is "split" (the sender fanned out to ≥ 3 addresses),
	// "peel" (the sender sent a small part here and the rest elsewhere),
	// or "".
	Pattern string `json:"pattern,omitempty"`
}

// Endpoint is where taint rests or a trace stopped.
type Endpoint struct {
	Address common.Address `json:"address"`
	// Kind is holder, a label category (exchange, mixer, bridge,
	// sanctioned), exchange-hot-wallet, dex-pool, wrapper, hub,
	// max-hops, unexplored (node cap reached) or origin (backward).
	Kind        string `json:"kind"`
	Label       string `json:"label,omitempty"`
	LabelSource string `json:"label_source,omitempty"`
	Evidence    string `json:"evidence,omitempty"`
	// Deposits are, for an exchange, the addresses the taint was
	// deposited through (its deposit addresses).
	Deposits []common.Address `json:"deposits,omitempty"`
	// Candidates are, for a mixer, withdrawals that may be the traced
	// deposits coming out (amount and timing match): leads, not facts.
	Candidates []Candidate `json:"candidates,omitempty"`
	Holdings   []Amount    `json:"holdings"`
	// Share is the fraction of the seed value that rests here; Value
	// the same in whole units of the main seed asset.
	Share       float64 `json:"share"`
	Value       float64 `json:"value"`
	Hops        int     `json:"hops"`
	Path        []Step  `json:"path"`
	Explanation string  `json:"explanation"`
}

// Edge is one tainted flow.
type Edge struct {
	From      common.Address   `json:"from"`
	To        common.Address   `json:"to"`
	Tx        common.Hash      `json:"tx"`
	Block     uint64           `json:"block"`
	Order     int              `json:"order"`
	Kind      string           `json:"kind"`
	Asset     common.Address   `json:"asset"`
	Amount    float64          `json:"amount"`
	AssetOut  common.Address   `json:"asset_out,omitzero"`
	AmountOut float64          `json:"amount_out,omitempty"`
	Via       []common.Address `json:"via,omitempty"`
	Share     float64          `json:"share"`
}

// Result is a finished trace.
type Result struct {
	Direction Direction        `json:"direction"`
	Model     Model            `json:"model"`
	Seed      string           `json:"seed"`
	Seeds     []common.Address `json:"seeds"`
	// Totals are the seed amounts per asset; MainAsset the largest one's
	// asset (by share) and MainTotal its amount.
	Totals    []Amount       `json:"totals"`
	MainAsset common.Address `json:"main_asset"`
	MainTotal float64        `json:"main_total"`
	Endpoints []Endpoint     `json:"endpoints"`
	Edges     []Edge         `json:"edges"`
	// Visited counts the distinct nodes expanded and Expansions the
	// expansions (a node is expanded again when more taint reaches it,
	// e.g. around a cycle); MaxNodes caps Expansions. Truncated is true
	// when the cap stopped the trace with taint left to push.
	Visited    int  `json:"visited"`
	Expansions int  `json:"expansions"`
	Truncated  bool `json:"truncated"`
	// Dropped is the share below the minimum value that was not pushed.
	Dropped float64 `json:"dropped_share"`
	// Findings are the laundering patterns seen in the tainted flows.
	Findings []Finding `json:"findings,omitempty"`
	Notes    []string  `json:"notes,omitempty"`
}

// lot is taint a node received over one flow.
type lot struct {
	pos    pos
	asset  common.Address
	amount float64
	share  float64
}

// push is what a node forwarded over one flow.
type push struct {
	amount, share float64
}

type node struct {
	addr      common.Address
	lots      map[int64]*lot
	pushed    map[int64]push
	dropped   float64
	pending   float64
	hops      int
	parent    *flow
	parentSh  float64
	stop      string
	label     labels.Label
	evidence  string
	expanded  bool
	sourceAll bool
	retained  map[common.Address]float64
	retShare  float64
	idx       int
	queued    bool
	asked     map[common.Address]bool // the vias Classify was asked with
}

type queue []*node

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].pending > q[j].pending }
func (q queue) Swap(i, j int)      { q[i], q[j] = q[j], q[i]; q[i].idx = i; q[j].idx = j }
func (q *queue) Push(x any)        { n := x.(*node); n.idx = len(*q); *q = append(*q, n) }
func (q *queue) Pop() any {
	old := *q
	n := old[len(old)-1]
	*q = old[:len(old)-1]
	n.idx = -1
	return n
}

// tracer is one trace's state.
type tracer struct {
	g        *graph
	o        Options
	nodes    map[common.Address]*node
	q        queue
	edges    map[int64]*Edge
	flows    map[int64]*flow
	outCount map[common.Address]map[common.Address]float64
	minShare float64
	head     uint64
	order    int
	chunks   map[chunkKey]int
}

// nodeReads is what an expansion reads for a node: its counts, its
// balance before from, and its flows from block from on.
type nodeReads struct {
	from      uint64
	c         nodeCounts
	prior     map[common.Address]float64
	outs, ins []*flow
}

// Run traces over the index db.
func Run(ctx context.Context, db *index.DB, o Options) (*Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	t := &tracer{g: &graph{db: db.SQL()}, o: o, nodes: map[common.Address]*node{}, edges: map[int64]*Edge{}, flows: map[int64]*flow{},
		outCount: map[common.Address]map[common.Address]float64{}}
	var err error
	if t.head, err = t.g.head(ctx); err != nil {
		return nil, err
	}
	res := &Result{Direction: o.Direction, Model: o.Model}
	if err := t.seed(ctx, res); err != nil {
		return nil, err
	}
	for t.q.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := heap.Pop(&t.q).(*node)
		n.queued = false
		if n.pending < t.minShare || n.stop != "" {
			continue // a stop found after it was queued (Classify through a later via)
		}
		if res.Expansions >= o.MaxNodes {
			res.Truncated = true
			heap.Push(&t.q, n)
			n.queued = true
			break
		}
		n.pending = 0
		if !n.expanded {
			res.Visited++
		}
		res.Expansions++
		if err := t.expand(ctx, n); err != nil {
			return nil, err
		}
	}
	if res.Truncated {
		for _, n := range t.q {
			if n.stop == "" && !n.expanded {
				n.stop = KindUnexplored
			}
		}
	}
	if err := t.finish(ctx, res); err != nil {
		return nil, err
	}
	return res, nil
}

// node returns (creating) the node of addr.
func (t *tracer) node(ctx context.Context, a common.Address, hops int) (*node, error) {
	if n, ok := t.nodes[a]; ok {
		n.hops = min(n.hops, hops)
		return n, nil
	}
	n := &node{addr: a, lots: map[int64]*lot{}, pushed: map[int64]push{}, hops: hops, idx: -1}
	t.nodes[a] = n
	if l, ok := t.o.Labels.Boundary(a); ok {
		n.stop, n.label = string(l.Category), l
		return n, nil
	}
	if l, ok := t.o.Labels.Best(a); ok {
		n.label = l
	}
	k, err := t.g.converterKind(ctx, a)
	if err != nil {
		return nil, err
	}
	switch k {
	case "":
	case "wrapper":
		n.stop = KindWrapper
	default:
		n.stop = KindPool
	}
	return n, nil
}

// classify asks o.Classify about n, reached through via (zero: a seed or
// a backward trace), once per via, until n is expanded or stopped.
func (t *tracer) classify(ctx context.Context, n *node, via common.Address) error {
	if n.stop != "" || n.expanded || t.o.Classify == nil || n.asked[via] {
		return nil
	}
	if n.asked == nil {
		n.asked = map[common.Address]bool{}
	}
	n.asked[via] = true
	kind, why, err := t.o.Classify(ctx, n.addr, via)
	if err != nil {
		return err
	}
	if kind != "" {
		n.stop, n.evidence = kind, why
	}
	return nil
}

// seed places the initial taint.
func (t *tracer) seed(ctx context.Context, res *Result) error {
	totals := map[common.Address]float64{}
	if t.o.Tx != nil {
		res.Seed = "tx " + t.o.Tx.Hex()
		known, err := t.g.txKnown(ctx, *t.o.Tx)
		if err != nil {
			return err
		}
		if !known {
			return fmt.Errorf("%w: %s (index the block that contains it first)", ErrUnknownTx, t.o.Tx.Hex())
		}
		fs, err := t.g.byTx(ctx, *t.o.Tx)
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			return fmt.Errorf("%w in %s (reverted, or only gas was paid)", ErrNoFlows, t.o.Tx.Hex())
		}
		for _, f := range fs {
			t.flows[f.ID] = f
			if t.o.Direction == Forward {
				a, amt := f.received()
				totals[a] += amt
			} else {
				totals[f.Asset] += f.Amount
			}
		}
		for _, f := range fs {
			if t.o.Direction == Forward {
				a, amt := f.received()
				n, err := t.node(ctx, f.To, 0)
				if err != nil {
					return err
				}
				if err := t.classify(ctx, n, common.Address{}); err != nil {
					return err
				}
				sh := amt / totals[a] / float64(len(totals))
				n.lots[f.ID] = &lot{pos: f.Pos, asset: a, amount: amt, share: sh}
				n.pending += sh
				t.enqueue(n)
				res.Seeds = appendUnique(res.Seeds, f.To)
			} else {
				n, err := t.node(ctx, f.From, 0)
				if err != nil {
					return err
				}
				if err := t.classify(ctx, n, common.Address{}); err != nil {
					return err
				}
				sh := f.Amount / totals[f.Asset] / float64(len(totals))
				l := n.lots[f.ID]
				if l == nil {
					l = &lot{pos: f.Pos, asset: f.Asset}
					n.lots[f.ID] = l
				}
				l.amount += f.Amount
				l.share += sh
				n.pending += sh
				t.enqueue(n)
				res.Seeds = appendUnique(res.Seeds, f.From)
			}
		}
	} else {
		a := *t.o.Address
		res.Seed = "address " + a.Hex()
		res.Seeds = []common.Address{a}
		n, err := t.node(ctx, a, 0)
		if err != nil {
			return err
		}
		n.stop = "" // the seed itself is always expanded
		col := "src"
		if t.o.Direction == Backward {
			col = "dst"
		}
		fs, err := t.g.side(ctx, col, a, 0, t.head, t.o.MaxFanout+1)
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			return fmt.Errorf("%w: %s has no indexed %s flows", ErrNoFlows, a.Hex(), map[string]string{"src": "outgoing", "dst": "incoming"}[col])
		}
		for _, f := range fs {
			if t.o.Direction == Forward {
				totals[f.Asset] += f.Amount
			} else {
				as, amt := f.received()
				totals[as] += amt
			}
		}
		n.sourceAll = true
		if t.o.Direction == Backward {
			for as, amt := range totals {
				// One virtual demand per asset after everything indexed.
				id := -int64(len(n.lots) + 1)
				n.lots[id] = &lot{pos: pos{Block: t.head + 1}, asset: as, amount: amt, share: 1 / float64(len(totals))}
			}
		}
		n.pending = 1
		t.enqueue(n)
	}
	var main common.Address
	best := -1.0
	for a, v := range totals {
		res.Totals = append(res.Totals, Amount{Asset: a, Amount: v})
		if v > best || (v == best && a.Cmp(main) < 0) {
			main, best = a, v
		}
	}
	sort.Slice(res.Totals, func(i, j int) bool { return res.Totals[i].Asset.Cmp(res.Totals[j].Asset) < 0 })
	res.MainAsset, res.MainTotal = main, best
	if t.o.MinValue > 0 {
		t.minShare = t.o.MinValue * 1e18 / best / float64(len(totals))
	} else {
		t.minShare = 1e-3
	}
	// Below a tenth of the minimum push, a flow of the main asset is dust.
	t.g.dustAsset, t.g.dust = main, 0.1*t.minShare*best*float64(len(totals))
	return nil
}

func appendUnique(s []common.Address, a common.Address) []common.Address {
	if slices.Contains(s, a) {
		return s
	}
	return append(s, a)
}

func (t *tracer) enqueue(n *node) {
	if n.stop != "" || n.pending < t.minShare {
		return
	}
	if n.queued {
		heap.Fix(&t.q, n.idx)
		return
	}
	n.queued = true
	heap.Push(&t.q, n)
}

// deliver records that n forwards amount/share over f (cumulative) and
// pushes the increase to the counterparty.
func (t *tracer) deliver(ctx context.Context, n *node, f *flow, to common.Address, recvAsset common.Address, amount, share float64) error {
	prev := n.pushed[f.ID]
	if share < t.minShare {
		n.dropped += share - prev.share
		return nil
	}
	ds := share - prev.share
	if ds <= 1e-12 && amount-prev.amount <= 0 {
		return nil
	}
	n.pushed[f.ID] = push{amount: amount, share: share}
	m, err := t.node(ctx, to, n.hops+1)
	if err != nil {
		return err
	}
	var via common.Address
	if t.o.Direction == Forward {
		via = n.addr
	}
	if err := t.classify(ctx, m, via); err != nil {
		return err
	}
	if t.o.Direction == Forward {
		m.lots[f.ID] = &lot{pos: f.Pos, asset: recvAsset, amount: amount, share: share}
	} else {
		m.lots[f.ID] = &lot{pos: f.Pos, asset: recvAsset, amount: amount, share: share}
	}
	m.pending += ds
	if share > m.parentSh {
		m.parent, m.parentSh = f, share
	}
	if m.stop == "" && m.hops >= t.o.MaxHops {
		m.stop = KindMaxHops
	}
	t.flows[f.ID] = f
	e := t.edges[f.ID]
	if e == nil {
		t.order++
		e = &Edge{From: f.From, To: f.To, Tx: f.Tx, Block: f.Pos.Block, Order: t.order, Kind: f.Kind, Asset: f.Asset, AssetOut: f.AssetOut, Via: f.Via}
		t.edges[f.ID] = e
	}
	e.Share = share
	if t.o.Direction == Forward {
		e.AmountOut = amount
		e.Amount = amount
		if f.Kind == index.FlowSwap && f.AmountOut > 0 {
			e.Amount = amount * f.Amount / f.AmountOut
		}
	} else {
		e.Amount = amount
		if f.Kind == index.FlowSwap && f.Amount > 0 {
			e.AmountOut = amount * f.AmountOut / f.Amount
		}
	}
	if t.outCount[f.From] == nil {
		t.outCount[f.From] = map[common.Address]float64{}
	}
	t.outCount[f.From][f.To] += share - prev.share
	t.enqueue(m)
	return nil
}

// expand re-simulates n with everything it received and pushes the
// increases.
func (t *tracer) expand(ctx context.Context, n *node) error {
	n.expanded = true
	if t.o.Direction == Backward {
		return t.expandBackward(ctx, n)
	}
	return t.expandForward(ctx, n)
}

// ledger is one asset's account at one node.
type ledger struct {
	bal, taint, share float64
	poisoned          bool
	fifo              []push // amount, share per lot; share 0 is clean
}

func (l *ledger) in(a, t, s float64, model Model) {
	l.bal += a
	l.taint += t
	l.share += s
	if t > 0 {
		l.poisoned = true
	}
	if model == FIFO {
		if a-t > 0 {
			l.fifo = append(l.fifo, push{amount: a - t})
		}
		if t > 0 {
			l.fifo = append(l.fifo, push{amount: t, share: s})
		}
	}
}

// out spends a and returns the tainted amount and share it carries.
func (l *ledger) out(a float64, model Model) (float64, float64) {
	var t, s float64
	switch model {
	case FIFO:
		need := a
		for need > 0 && len(l.fifo) > 0 {
			f := &l.fifo[0]
			take := min(need, f.amount)
			if f.share > 0 {
				t += take
				s += f.share * take / f.amount
				f.share -= f.share * take / f.amount
			}
			f.amount -= take
			need -= take
			if f.amount <= 0 {
				l.fifo = l.fifo[1:]
			}
		}
		l.taint = max(l.taint-t, 0)
		l.share = max(l.share-s, 0)
	default:
		den := max(l.bal, a)
		if den > 0 && l.taint > 0 {
			t = min(l.taint*a/den, l.taint)
			s = l.share * t / l.taint
			l.taint -= t
			l.share -= s
		}
		if model == Poison && l.poisoned {
			t = a
		}
	}
	l.bal = max(l.bal-a, 0)
	return t, s
}

func (t *tracer) expandForward(ctx context.Context, n *node) error {
	first := pos{Block: math.MaxUint64}
	for _, l := range n.lots {
		if l.pos.less(first) {
			first = l.pos
		}
	}
	if n.sourceAll {
		first = pos{}
	}
	// Hubs are recognised by counts from the flow indexes before any
	// flow is read (a hub's thousands of flows were most of the cost),
	// all four in one query.
	hist := 20 * t.o.MaxFanout
	r := &nodeReads{from: first.Block}
	var err error
	if r.c, err = t.g.counts(ctx, n.addr, first.Block, t.head, t.o.MaxFanout+1, 4*t.o.MaxFanout+1, hist+1); err != nil {
		return err
	}
	if err := t.readForward(ctx, n, r, hist); err != nil {
		return err
	}
	c := r.c
	if !n.sourceAll {
		if c.outAfter > t.o.MaxFanout {
			n.stop = KindHub
			n.evidence = fmt.Sprintf("more than %d outflows after block %d", t.o.MaxFanout, first.Block)
			return nil
		}
		if c.inAfter > 4*t.o.MaxFanout {
			n.stop = KindHub
			n.evidence = fmt.Sprintf("more than %d inflows after block %d", 4*t.o.MaxFanout, first.Block)
			return nil
		}
	}
	complete := c.inBefore <= hist && c.outBefore <= hist
	if !complete && !n.sourceAll {
		n.stop = KindHub
		n.evidence = fmt.Sprintf("more than %d flows before block %d", hist, first.Block)
		return nil
	}
	prior, outs, ins := r.prior, r.outs, r.ins
	books := map[common.Address]*ledger{}
	book := func(a common.Address) *ledger {
		l := books[a]
		if l == nil {
			l = &ledger{}
			if b := prior[a]; b > 0 {
				if n.sourceAll {
					l.in(b, b, 0, t.o.Model)
				} else {
					l.in(b, 0, 0, t.o.Model)
				}
			}
			books[a] = l
		}
		return l
	}
	// Outflows first: a self-flow (in both lists) is then taken whole
	// from outs (inflows reads no sender).
	evs := mergeFlows(outs, ins)
	id, err := t.g.idOf(ctx, n.addr)
	if err != nil {
		return err
	}
	type outTaint struct {
		f      *flow
		asset  common.Address
		amount float64
		share  float64
	}
	var res []outTaint
	for _, f := range evs {
		isIn, isOut := f.dst == id, f.src == id
		if f.Pos.less(first) {
			// Same block, before the taint: clean history.
			if isOut {
				book(f.Asset).out(f.Amount, t.o.Model)
			}
			if isIn {
				a, amt := f.received()
				book(a).in(amt, 0, 0, t.o.Model)
			}
			continue
		}
		switch {
		case isOut && isIn: // a swap paying the trader itself
			tt, s := book(f.Asset).out(f.Amount, t.o.Model)
			if n.sourceAll {
				tt = f.Amount
			}
			conv := 0.0
			if f.Amount > 0 {
				conv = tt * f.AmountOut / f.Amount
			}
			book(f.AssetOut).in(f.AmountOut, min(conv, f.AmountOut), s, t.o.Model)
			if tt > 0 {
				t.flows[f.ID] = f
				if e := t.edges[f.ID]; e == nil {
					t.order++
					t.edges[f.ID] = &Edge{From: f.From, To: f.To, Tx: f.Tx, Block: f.Pos.Block, Order: t.order, Kind: f.Kind, Asset: f.Asset, AssetOut: f.AssetOut, Via: f.Via}
				}
				e := t.edges[f.ID]
				e.Amount, e.AmountOut, e.Share = tt, conv, s
			}
		case isIn:
			a, amt := f.received()
			var tt, s float64
			if l := n.lots[f.ID]; l != nil {
				tt, s = min(l.amount, amt), l.share
			}
			if n.sourceAll {
				tt = amt
			}
			book(a).in(amt, tt, s, t.o.Model)
		case isOut:
			tt, s := book(f.Asset).out(f.Amount, t.o.Model)
			if n.sourceAll {
				tt = f.Amount
			}
			if tt <= 0 {
				continue
			}
			a, amt := f.received()
			recv := tt
			if f.Kind == index.FlowSwap && f.Amount > 0 {
				recv = min(tt*amt/f.Amount, amt)
			}
			res = append(res, outTaint{f: f, asset: a, amount: recv, share: s})
		}
	}
	if n.sourceAll {
		// The seed's whole outflow is the taint: shares by amount.
		sum := map[common.Address]float64{}
		for _, r := range res {
			sum[r.f.Asset] += r.f.Amount
		}
		for i := range res {
			res[i].share = res[i].f.Amount / sum[res[i].f.Asset] / float64(len(sum))
		}
	}
	n.dropped = 0
	for _, r := range res {
		if err := t.deliver(ctx, n, r.f, r.f.To, r.asset, r.amount, r.share); err != nil {
			return err
		}
	}
	n.retained = map[common.Address]float64{}
	n.retShare = 0
	if !n.sourceAll {
		for a, l := range books {
			if l.taint > 0 {
				n.retained[a] = l.taint
				n.retShare += l.share
			}
		}
	}
	return nil
}

// readForward fills r (whose counts are read) with what expandForward
// needs unless the counts make n a hub: the balance before r.from when
// the history is short, and the flows out and in from r.from on.
func (t *tracer) readForward(ctx context.Context, n *node, r *nodeReads, hist int) error {
	c := r.c
	if !n.sourceAll && (c.outAfter > t.o.MaxFanout || c.inAfter > 4*t.o.MaxFanout) {
		return nil
	}
	complete := c.inBefore <= hist && c.outBefore <= hist
	if !complete && !n.sourceAll {
		return nil
	}
	var err error
	if complete {
		if r.prior, err = t.g.balanceBefore(ctx, n.addr, r.from); err != nil {
			return err
		}
	}
	if r.outs, err = t.g.side(ctx, "src", n.addr, r.from, t.head, t.o.MaxFanout+1); err != nil {
		return err
	}
	r.ins, err = t.g.inflows(ctx, n.addr, r.from, t.head, 4*t.o.MaxFanout+1)
	return err
}

// expandBackward splits each demand lot of n over n's inflows before it,
// in proportion to their amounts of the lot's asset.
func (t *tracer) expandBackward(ctx context.Context, n *node) error {
	last := pos{}
	for _, l := range n.lots {
		if last.less(l.pos) {
			last = l.pos
		}
	}
	ins, err := t.g.side(ctx, "dst", n.addr, 0, min(last.Block, t.head), 20*t.o.MaxFanout)
	if err != nil {
		return err
	}
	if len(ins) > 20*t.o.MaxFanout-1 {
		n.stop = KindHub
		n.evidence = fmt.Sprintf("more than %d inflows before block %d", 20*t.o.MaxFanout, last.Block)
		return nil
	}
	type contrib struct {
		f             *flow
		amount, share float64
	}
	acc := map[int64]*contrib{}
	var order []int64
	n.retained = map[common.Address]float64{}
	n.retShare = 0
	for _, l := range n.lots {
		var sum float64
		var cands []*flow
		for _, f := range ins {
			a, amt := f.received()
			if a == l.asset && f.Pos.less(l.pos) && !f.Pos.sameTx(l.pos) {
				sum += amt
				cands = append(cands, f)
			}
		}
		if sum <= 0 {
			n.retained[l.asset] += l.amount
			n.retShare += l.share
			continue
		}
		for _, f := range cands {
			_, amt := f.received()
			frac := amt / sum
			c := acc[f.ID]
			if c == nil {
				c = &contrib{f: f}
				acc[f.ID] = c
				order = append(order, f.ID)
			}
			given := l.amount * frac
			if f.Kind == index.FlowSwap && f.AmountOut > 0 {
				given = given * f.Amount / f.AmountOut
			}
			if t.o.Model == Poison {
				given = f.Amount
			}
			c.amount += given
			c.share += l.share * frac
		}
	}
	n.dropped = 0
	for _, id := range order {
		c := acc[id]
		if err := t.deliver(ctx, n, c.f, c.f.From, c.f.Asset, c.amount, c.share); err != nil {
			return err
		}
	}
	return nil
}

// mergeFlows merges two time-ordered flow lists, dropping duplicates
// (self-flows appear in both).
func mergeFlows(a, b []*flow) []*flow {
	out := make([]*flow, 0, len(a)+len(b))
	seen := map[int64]bool{}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var f *flow
		if j >= len(b) || (i < len(a) && !b[j].Pos.less(a[i].Pos)) {
			f = a[i]
			i++
		} else {
			f = b[j]
			j++
		}
		if !seen[f.ID] {
			seen[f.ID] = true
			out = append(out, f)
		}
	}
	return out
}
