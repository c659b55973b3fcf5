package trace_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/labels"
	"github.com/aegis-defi/aegis/internal/launder"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/trace"
)

// fixture is one laundering run on the devnet, indexed.
type fixture struct {
	truth *launder.Truth
	// env is the chain, kept up until TestMain ends (the PostgreSQL
	// test indexes it a second time).
	env   *testchain.Env
	graph *index.DB
	det   *cluster.Detector
	// bridges are the labels an investigator has for bridges (the
	// testbed's deployment record); mixers and exchanges are found by
	// behaviour.
	labels *labels.Set
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
)

// laundered runs the laundering scenario once for the package's tests.
func laundered(t *testing.T) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		env, err := testchain.Start(ctx, 10)
		if err != nil {
			fixErr = err
			return
		}
		truth, err := launder.Run(ctx, launder.Env{Client: env.Client, Victim: env.Accounts[1], Operator: env.Accounts[0],
			Users: env.Accounts[2:8], Seed: "trace-test"})
		if err != nil {
			fixErr = err
			_ = env.Close()
			return
		}
		c, err := rpc.DialContext(ctx, env.Node.HTTPURL())
		if err != nil {
			fixErr = err
			return
		}
		dir, err := tempDir()
		if err != nil {
			fixErr = err
			return
		}
		ix, err := index.New(ctx, c, dir, index.Options{From: truth.FirstBlock})
		if err != nil {
			fixErr = err
			return
		}
		if _, err := ix.Run(ctx); err != nil {
			fixErr = err
			return
		}
		c.Close()
		fix = &fixture{truth: truth, env: env, graph: ix.Graph(), det: cluster.New(ix.Graph()), labels: bridgeLabels(truth)}
	})
	if fixErr != nil {
		t.Fatalf("laundering fixture: %v", fixErr)
	}
	return fix
}

// bridgeLabels is what an investigator knows about bridges: the
// testbed's deployment record.
func bridgeLabels(truth *launder.Truth) *labels.Set {
	ls := &labels.Set{}
	ls.Add(labels.Label{Address: truth.BridgeVault, Label: "testbed lock-and-mint bridge", Category: labels.Bridge,
		Source: "testbed deployment record", Confidence: 1, Modified: time.Now()})
	return ls
}

func endpoint(r *trace.Result, a common.Address) *trace.Endpoint {
	for i := range r.Endpoints {
		if r.Endpoints[i].Address == a {
			return &r.Endpoints[i]
		}
	}
	return nil
}

// TestLaunderingRecall traces the theft forward and checks the ground
// truth: ≥ 90% of the stolen value's final holders found with ≤ 1,000
// nodes, the mixer and bridge hops flagged, the exchange hot wallet and
// the attacker's deposit address named.
func TestLaunderingRecall(t *testing.T) {
	f := laundered(t)
	checkRecall(t, f, f.graph, f.det)
}

// checkRecall runs the recall checks of the laundering trace with every
// model over graph g (SQLite or PostgreSQL).
func checkRecall(t *testing.T, f *fixture, g *index.DB, det *cluster.Detector) {
	for _, model := range []trace.Model{trace.Haircut, trace.FIFO, trace.Poison} {
		t.Run(string(model), func(t *testing.T) {
			ctx := context.Background()
			tx := f.truth.TheftTx
			res, err := trace.Run(ctx, g, trace.Options{Tx: &tx, Model: model, Labels: f.labels, Classify: det.Classify,
				MixerCandidates: det.TraceCandidates})
			if err != nil {
				t.Fatal(err)
			}
			if res.Visited > 1000 || res.Visited == 0 {
				t.Fatalf("visited %d nodes", res.Visited)
			}
			if math.Abs(trace.Units(res.MainTotal)-500) > 1e-9 || res.MainAsset != index.ETH() {
				t.Fatalf("seed total %v %s, want 500 ETH", trace.Units(res.MainTotal), res.MainAsset)
			}
			var found, total float64
			for _, h := range f.truth.Holders {
				total += h.ETH
				ep := endpoint(res, h.Address)
				if ep == nil {
					t.Errorf("holder %s (%s, %.0f ETH) not found", h.Address, h.Kind, h.ETH)
					continue
				}
				if ep.Kind != h.Kind {
					t.Errorf("holder %s: kind %s, want %s (%s)", h.Address, ep.Kind, h.Kind, ep.Explanation)
				}
				found += min(ep.Value, h.ETH)
				t.Logf("%s", ep.Explanation)
			}
			recall := found / total
			t.Logf("%s: recall %.3f of %.0f ETH, %d nodes, %d endpoints", model, recall, total, res.Visited, len(res.Endpoints))
			if recall < 0.9 {
				t.Fatalf("recall %.3f < 0.9", recall)
			}
			// The exchange: the attacker's deposit address is on the
			// path to the hot wallet, and the evidence says why.
			hw := endpoint(res, f.truth.HotWallet)
			if hw == nil || hw.Evidence == "" {
				t.Fatalf("hot wallet endpoint %+v", hw)
			}
			var depositsOnPaths []common.Address
			for _, ep := range res.Endpoints {
				for _, s := range ep.Path {
					if s.To == f.truth.HotWallet {
						depositsOnPaths = append(depositsOnPaths, s.From)
					}
				}
			}
			var tainted []common.Address
			for _, e := range res.Edges {
				if e.To == f.truth.HotWallet {
					tainted = append(tainted, e.From)
				}
			}
			if !slices.Contains(hw.Deposits, f.truth.AttackerDeposit) || len(hw.Deposits) != 3 {
				t.Errorf("hot wallet deposits %v, want the attacker's %s and the two peel deposits", hw.Deposits, f.truth.AttackerDeposit)
			}
			if !slices.Contains(depositsOnPaths, f.truth.AttackerDeposit) {
				t.Errorf("attacker deposit %s not on the hot wallet's path (%v)", f.truth.AttackerDeposit, depositsOnPaths)
			}
			for _, d := range append([]common.Address{f.truth.AttackerDeposit}, f.truth.PeelDeposits...) {
				if !slices.Contains(tainted, d) {
					t.Errorf("deposit %s → hot wallet not a tainted edge", d)
				}
			}
			// Benign customers' deposit addresses carry no taint.
			for _, d := range f.truth.BenignDeposits {
				if slices.Contains(tainted, d) || endpoint(res, d) != nil {
					t.Errorf("benign deposit %s tainted", d)
				}
			}
			// Laundering patterns: the split, the peel chain, the mixer
			// chunks, the exchange's consolidation; no swap-then-bridge.
			got := map[string][]common.Address{}
			for _, fd := range res.Findings {
				got[fd.Pattern] = append(got[fd.Pattern], fd.Addresses...)
			}
			if !slices.Contains(got[trace.PatternFanOut], f.truth.Attacker) {
				t.Errorf("no fan-out at the attacker: %+v", res.Findings)
			}
			if pc := got[trace.PatternPeelChain]; len(pc) < 3 || pc[len(pc)-1] != f.truth.Holders[0].Address {
				t.Errorf("peel chain %v, want one ending at %s", pc, f.truth.Holders[0].Address)
			}
			if !slices.Contains(got[trace.PatternMixerChunking], f.truth.Mixer) {
				t.Errorf("no mixer chunking into %s: %+v", f.truth.Mixer, res.Findings)
			}
			if !slices.Contains(got[trace.PatternFanIn], f.truth.HotWallet) {
				t.Errorf("no fan-in at the hot wallet: %+v", res.Findings)
			}
			if len(got[trace.PatternSwapBridge]) != 0 {
				t.Errorf("swap-then-bridge reported: %+v", res.Findings)
			}
			// The mixer endpoint lists the attacker's withdrawal address as
			// a low-confidence candidate, never as a holder.
			mx := endpoint(res, f.truth.Mixer)
			var cand bool
			for _, c := range mx.Candidates {
				if c.Address == f.truth.MixerWithdrawal && c.Confidence < 0.5 {
					cand = true
				}
			}
			if !cand || endpoint(res, f.truth.MixerWithdrawal) != nil {
				t.Errorf("mixer candidates %+v, want %s as a candidate only", mx.Candidates, f.truth.MixerWithdrawal)
			}
			// Address poisoning: the planted zero-value transfer to a
			// look-alike of a5's deposit address, and nothing else.
			var poisoned bool
			for _, fd := range res.Findings {
				if fd.Pattern != trace.PatternAddressPoisoning {
					continue
				}
				if !slices.Equal(fd.Addresses, []common.Address{f.truth.Poisoned, f.truth.PoisonLookAlike, f.truth.PoisonGenuine}) {
					t.Errorf("unexpected poisoning finding %+v", fd)
				}
				poisoned = true
			}
			if !poisoned {
				t.Errorf("no address-poisoning finding for %s (look-alike %s of %s)", f.truth.Poisoned, f.truth.PoisonLookAlike, f.truth.PoisonGenuine)
			}
			// Wash trading: a6's round trips on the pool, and no one
			// else's (a7's one-way swap is not a round trip).
			var washed bool
			for _, fd := range res.Findings {
				if fd.Pattern != trace.PatternWashTrading {
					continue
				}
				if fd.Addresses[0] != f.truth.WashTrader || fd.Addresses[1] != f.truth.Pool {
					t.Errorf("unexpected wash-trading finding %+v", fd)
				}
				washed = true
			}
			if !washed {
				t.Errorf("no wash-trading finding for %s on %s: %+v", f.truth.WashTrader, f.truth.Pool, res.Findings)
			}
			// The swap hop is explained.
			a7 := endpoint(res, f.truth.Holders[1].Address)
			if a7 == nil || len(a7.Path) == 0 || a7.Path[len(a7.Path)-1].Kind != index.FlowSwap || a7.Holdings[0].Asset != f.truth.Token {
				t.Fatalf("swap holder %+v", a7)
			}
		})
	}
}

// TestLaunderingBackward traces the final holder backward to the victim.
func TestLaunderingBackward(t *testing.T) {
	f := laundered(t)
	a6 := f.truth.Holders[0].Address
	res, err := trace.Run(context.Background(), f.graph, trace.Options{Address: &a6, Direction: trace.Backward})
	if err != nil {
		t.Fatal(err)
	}
	ep := endpoint(res, f.truth.Victim)
	if ep == nil || ep.Kind != trace.KindOrigin || ep.Share < 0.95 {
		t.Fatalf("victim endpoint %+v; endpoints %+v", ep, res.Endpoints)
	}
	if len(ep.Path) != 4 { // victim → a0 → a1 → a5 → a6
		t.Fatalf("path %d hops: %s", len(ep.Path), ep.Explanation)
	}
}

// TestCaps checks the node cap and hop limit stop the trace and say so.
func TestCaps(t *testing.T) {
	f := laundered(t)
	tx := f.truth.TheftTx
	res, err := trace.Run(context.Background(), f.graph, trace.Options{Tx: &tx, MaxNodes: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || res.Expansions != 2 || len(res.Notes) == 0 {
		t.Fatalf("capped trace: %d expansions, truncated %v notes %v", res.Expansions, res.Truncated, res.Notes)
	}
	res, err = trace.Run(context.Background(), f.graph, trace.Options{Tx: &tx, MaxHops: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range res.Endpoints {
		if ep.Hops > 1 {
			t.Fatalf("endpoint %s at %d hops with MaxHops 1", ep.Address, ep.Hops)
		}
	}
	// Unknown transaction and bad options.
	bad := common.HexToHash("0x1234")
	if _, err := trace.Run(context.Background(), f.graph, trace.Options{Tx: &bad}); err == nil {
		t.Fatal("unknown tx traced")
	}
	if _, err := trace.Run(context.Background(), f.graph, trace.Options{Tx: &tx, Model: trace.FIFO, Direction: trace.Backward}); err == nil {
		t.Fatal("backward fifo accepted")
	}
}

// TestCluster checks the exchange deposit discovery and the mixer pool.
func TestCluster(t *testing.T) {
	f := laundered(t)
	ctx := context.Background()
	c, err := f.det.Cluster(ctx, f.truth.HotWallet)
	if err != nil {
		t.Fatal(err)
	}
	if c.Role != "exchange-hot-wallet" {
		t.Fatalf("hot wallet role %q", c.Role)
	}
	var deps []common.Address
	for _, l := range c.Links {
		if l.Kind == cluster.LinkDeposit {
			deps = append(deps, l.From)
		}
	}
	for _, d := range append(append([]common.Address{f.truth.AttackerDeposit}, f.truth.PeelDeposits...), f.truth.BenignDeposits...) {
		if !slices.Contains(deps, d) {
			t.Errorf("deposit %s not linked to the hot wallet", d)
		}
	}
	c, err = f.det.Cluster(ctx, f.truth.AttackerDeposit)
	if err != nil || c.Role != "exchange-deposit" {
		t.Fatalf("attacker deposit role %q, %v", c.Role, err)
	}
	if ok, why, err := f.det.MixerPool(ctx, f.truth.Mixer); err != nil || !ok {
		t.Fatalf("mixer not recognised: %v %s", err, why)
	}
	for _, a := range []common.Address{f.truth.BridgeVault, f.truth.Pool, f.truth.HotWallet, f.truth.Attacker} {
		if ok, why, err := f.det.MixerPool(ctx, a); err != nil || ok {
			t.Fatalf("%s taken for a mixer: %v %s", a, err, why)
		}
		if ok, _, _, err := f.det.HotWallet(ctx, a); err != nil || (ok && a != f.truth.HotWallet) {
			t.Fatalf("%s taken for a hot wallet: %v", a, err)
		}
	}
	// Common gas funder: the split's recipients all got their first ETH
	// from the attacker; deployer: the mixer names who paid for it.
	c, err = f.det.Cluster(ctx, chainAddr(t, f, "a1"))
	if err != nil {
		t.Fatal(err)
	}
	var siblings []common.Address
	for _, l := range c.Links {
		if l.Kind == cluster.LinkFunder {
			siblings = append(siblings, l.To)
		}
	}
	for _, n := range []string{"a2", "a3", "a4"} {
		if !slices.Contains(siblings, chainAddr(t, f, n)) {
			t.Errorf("a1 not linked to %s by the common funder: %+v", n, c.Links)
		}
	}
	if slices.Contains(siblings, f.truth.HotWallet) || slices.Contains(siblings, f.truth.Victim) {
		t.Errorf("unrelated common-funder links: %v", siblings)
	}
	c, err = f.det.Cluster(ctx, f.truth.Mixer)
	if err != nil {
		t.Fatal(err)
	}
	var deployer bool
	for _, l := range c.Links {
		deployer = deployer || (l.Kind == cluster.LinkDeployer && l.Confidence >= 0.9)
	}
	if c.Role != "mixer-pool" || !deployer {
		t.Errorf("mixer cluster: role %q, links %+v", c.Role, c.Links)
	}

	// The attacker's mixer depositor has the fresh withdrawal address
	// among its candidates, flagged as a candidate.
	a2 := chainAddr(t, f, "a2")
	c, err = f.det.Cluster(ctx, a2)
	if err != nil {
		t.Fatal(err)
	}
	var cand bool
	for _, l := range c.Links {
		if l.Kind == cluster.LinkMixerCandidate && l.To == f.truth.MixerWithdrawal {
			cand = l.Candidate && l.Confidence < 0.5
		}
	}
	if !cand {
		t.Fatalf("mixer withdrawal %s not a candidate of %s: %+v", f.truth.MixerWithdrawal, a2, c.Links)
	}
}

// TestHTML renders the laundering trace as one self-contained page: the
// data the script draws has a node per address and an arrow per tainted
// edge, and the page loads no external resources. (The drawing itself is
// checked in headless Chromium by TestHTMLChromium.)
func TestHTML(t *testing.T) {
	f := laundered(t)
	res, page := launderHTML(t, f)
	d := pageData(t, page)
	// Every tainted edge is drawn once, in time order; repeated flows
	// between the same pair (the mixer chunks) share one arrow.
	var orders []int
	for _, e := range d.Edges {
		orders = append(orders, e.Orders...)
	}
	var want []int
	for _, e := range res.Edges {
		want = append(want, e.Order)
	}
	slices.Sort(orders)
	if !slices.Equal(orders, want) {
		t.Fatalf("page draws edges %v, want %v", orders, want)
	}
	if len(d.Edges) >= len(res.Edges) {
		t.Errorf("%d arrows for %d edges: the mixer chunks are not grouped", len(d.Edges), len(res.Edges))
	}
	ids := map[string]bool{}
	for _, n := range d.Nodes {
		ids[n.ID] = true
	}
	for _, a := range []common.Address{f.truth.Attacker, f.truth.HotWallet, f.truth.Mixer, f.truth.BridgeVault} {
		if !ids[a.Hex()] {
			t.Errorf("node %s not in the page", a)
		}
	}
	// Left to right: every forward edge between distinct nodes goes
	// to a column further right; edges are numbered in time order.
	x := map[string]int{}
	for _, n := range d.Nodes {
		x[n.ID] = n.X
	}
	for i, e := range d.Edges {
		if e.From != e.To && x[e.To] <= x[e.From] {
			t.Errorf("edge %s → %s goes right to left (%d → %d)", e.From, e.To, x[e.From], x[e.To])
		}
		if i > 0 && e.Orders[0] < d.Edges[i-1].Orders[0] {
			t.Errorf("edge %d out of time order", i)
		}
	}
	if !strings.Contains(page, "exchange-hot-wallet") || !strings.Contains(page, "<script>") {
		t.Fatal("page lacks the endpoint kinds or the drawing script")
	}
	if strings.Contains(page, `<g class="edge"`) {
		t.Fatal("static page already has edges: the script is supposed to draw them")
	}
	for _, ext := range []string{"src=\"http", "href=\"http", "@import", "<link"} {
		if strings.Contains(page, ext) {
			t.Fatalf("page loads an external resource (%s)", ext)
		}
	}
}

// launderHTML traces the laundering theft forward and renders it as HTML.
func launderHTML(t *testing.T, f *fixture) (*trace.Result, string) {
	t.Helper()
	tx := f.truth.TheftTx
	res, err := trace.Run(context.Background(), f.graph, trace.Options{Tx: &tx, Labels: f.labels, Classify: f.det.Classify})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := trace.Write(&b, res, "html"); err != nil {
		t.Fatal(err)
	}
	return res, b.String()
}

// htmlData mirrors the JSON the page's script draws.
type htmlData struct {
	Nodes []struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
		X    int    `json:"x"`
	} `json:"nodes"`
	Edges []struct {
		From   string  `json:"from"`
		To     string  `json:"to"`
		Orders []int   `json:"orders"`
		Color  string  `json:"color"`
		Width  float64 `json:"width"`
	} `json:"edges"`
}

// pageData extracts the script's data from the page.
func pageData(t *testing.T, page string) htmlData {
	t.Helper()
	i := strings.Index(page, "var D=")
	j := strings.Index(page, ";\nvar NS=")
	if i < 0 || j < i {
		t.Fatal("page has no drawing data")
	}
	var d htmlData
	if err := json.Unmarshal([]byte(page[i+len("var D="):j]), &d); err != nil {
		t.Fatalf("page data: %v", err)
	}
	return d
}

// TestGraphML round-trips the laundering trace through encoding/xml.
func TestGraphML(t *testing.T) {
	f := laundered(t)
	tx := f.truth.TheftTx
	res, err := trace.Run(context.Background(), f.graph, trace.Options{Tx: &tx, Labels: f.labels, Classify: f.det.Classify})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := trace.Write(&b, res, "graphml"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Graph struct {
			Nodes []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Graph.Edges) != len(res.Edges) {
		t.Fatalf("%d edges, want %d", len(doc.Graph.Edges), len(res.Edges))
	}
	kinds := map[string]string{}
	for _, n := range doc.Graph.Nodes {
		for _, d := range n.Data {
			if d.Key == "kind" {
				kinds[n.ID] = d.Value
			}
		}
	}
	if kinds[f.truth.Mixer.Hex()] != "mixer" || kinds[f.truth.HotWallet.Hex()] != trace.KindHotWallet {
		t.Fatalf("node kinds %v", kinds)
	}
}
