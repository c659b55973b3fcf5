package anomaly

import (
	"math"
	"math/rand/v2"
	"testing"
)

// handForest is one tree of depth 2 over one feature with work space
// [-1, 2]: the root splits at 0.5, node 1 ([-1, 0.5]) at -0.25 and node 2
// ([0.5, 2]) at 1.25, so the leaves are 3 = [-1, -0.25), 4 = [-0.25, 0.5),
// 5 = [0.5, 1.25) and 6 = [1.25, 2].
func handForest() *hsForest {
	f := &hsForest{
		dim: 1, depth: 2, psi: 4, sizeLimit: 2,
		lo: []float64{0}, span: []float64{1},
		trees: []hsTree{{
			wlo: []float64{-1}, whi: []float64{2},
			nodes: make([]hsNode, numNodes(2)), // all splits on feature 0
		}},
	}
	f.initTables()
	return f
}

func TestHSTreeHandComputed(t *testing.T) {
	f := handForest()
	lo, hi := make([]float64, 1), make([]float64, 1)
	// First reference window: 0.1, 0.2, 0.3 go to leaf 4, 0.9 to leaf 5.
	for _, x := range []float64{0.1, 0.2, 0.3, 0.9} {
		if _, ok := f.learn([]float64{x}, nil, lo, hi); ok {
			t.Fatal("learn scored during the reference fill")
		}
	}
	wantR := []uint16{4, 3, 1, 0, 3, 1, 0}
	for i, w := range wantR {
		if got := f.trees[0].nodes[i].m[0]; got != w {
			t.Fatalf("node %d: r = %d, want %d", i, got, w)
		}
	}
	// Scores: stop at depth D or at the first node with r < sizeLimit (2);
	// s = r·2^depth.
	for _, tc := range []struct {
		x, want float64
		credit  float64 // attribution to feature 0
	}{
		{0.0, 3 * 4, 0},  // root(4) → node 1 (3) → leaf 4 (3) at depth 2: 3·4; child ≥ sibling all the way
		{1.0, 1 * 2, 1},  // root(4) → node 2 (1 < 2): 1·2; credit log2((3+1)/(1+1)) = 1
		{-0.5, 0 * 4, 2}, // root → node 1 (3) → leaf 3 (0): 0; credit log2((3+1)/(0+1)) = 2
		{1.5, 1 * 2, 1},  // stops at node 2 like 1.0
	} {
		attrib := []float64{0}
		if got := f.score([]float64{tc.x}, attrib, lo, hi); got != tc.want {
			t.Errorf("score(%v) = %v, want %v", tc.x, got, tc.want)
		}
		if math.Abs(attrib[0]-tc.credit) > 1e-12 {
			t.Errorf("credit(%v) = %v, want %v", tc.x, attrib[0], tc.credit)
		}
	}
	// Latest window: 1.0, 1.1, 1.2 (leaf 5) and 0.0 (leaf 4). learn must
	// return the same score as score() against the unchanged reference.
	for i, x := range []float64{1.0, 1.1, 1.2, 0.0} {
		wantCredit, gotCredit := []float64{0}, []float64{0}
		want := f.score([]float64{x}, wantCredit, lo, hi)
		got, ok := f.learn([]float64{x}, gotCredit, lo, hi)
		if !ok || got != want || gotCredit[0] != wantCredit[0] {
			t.Fatalf("learn(%v) = %v, %v, credit %v; want %v, true, credit %v", x, got, ok, gotCredit, want, wantCredit)
		}
		if i < 3 && f.count != i+1 {
			t.Fatalf("count = %d after %d latest samples", f.count, i+1)
		}
	}
	// The fourth sample completed the window: r ← l, l ← 0.
	if f.count != 0 {
		t.Fatalf("count = %d after the swap", f.count)
	}
	wantR = []uint16{4, 1, 3, 0, 1, 3, 0}
	for i, w := range wantR {
		if got := f.trees[0].nodes[i].m[0]; got != w {
			t.Errorf("after swap node %d: r = %d, want %d", i, got, w)
		}
		if got := f.trees[0].nodes[i].m[1]; got != 0 {
			t.Errorf("after swap node %d: l = %d, want 0", i, got)
		}
	}
	for _, tc := range []struct{ x, want float64 }{
		{1.0, 3 * 4}, // root → node 2 (3) → leaf 5 (3): 12
		{0.2, 1 * 2}, // node 1 now has r = 1 < 2: 2
		{-0.5, 1 * 2},
	} {
		if got := f.score([]float64{tc.x}, nil, lo, hi); got != tc.want {
			t.Errorf("after swap score(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

// refNode is a deliberately naive, pointer-based HS-Tree node used as an
// independent reference for the array implementation.
type refNode struct {
	left, right *refNode
	q           int
	p           float64
	r           int
	depth       int
}

// refBuild follows the paper's BuildSingleHS-Tree recursion, taking the
// split features from the model's heap-indexed nodes (only their q field;
// masses are recomputed independently).
func refBuild(lo, hi []float64, attr []hsNode, i, k, depth int) *refNode {
	n := &refNode{depth: k}
	if k == depth {
		return n
	}
	n.q = int(attr[i].q)
	n.p = (lo[n.q] + hi[n.q]) / 2
	l, h := append([]float64(nil), lo...), append([]float64(nil), hi...)
	h[n.q] = n.p
	n.left = refBuild(lo, h, attr, 2*i+1, k+1, depth)
	l[n.q] = n.p
	n.right = refBuild(l, hi, attr, 2*i+2, k+1, depth)
	return n
}

func (n *refNode) insert(x []float64) {
	for ; n != nil; n = n.next(x) {
		n.r++
	}
}

func (n *refNode) next(x []float64) *refNode {
	if n.left == nil {
		return nil
	}
	if x[n.q] < n.p {
		return n.left
	}
	return n.right
}

// refScore is the paper's Algorithm 3, recursively.
func refScore(n *refNode, x []float64, sizeLimit int) float64 {
	if n.left == nil || n.r < sizeLimit {
		return float64(n.r) * math.Pow(2, float64(n.depth))
	}
	return refScore(n.next(x), x, sizeLimit)
}

// refCheckMasses compares the reference masses with the heap arrays.
func refCheckMasses(t *testing.T, n *refNode, nodes []hsNode, i int) {
	t.Helper()
	if n == nil {
		return
	}
	if int(nodes[i].m[0]) != n.r {
		t.Fatalf("node %d: r = %d, reference %d", i, nodes[i].m[0], n.r)
	}
	refCheckMasses(t, n.left, nodes, 2*i+1)
	refCheckMasses(t, n.right, nodes, 2*i+2)
}

// TestHSTreeMatchesNaiveReference streams samples through a model and, at
// many points (including every window swap), rebuilds the mass profiles
// from scratch from the samples that should form the current reference
// window and compares masses and scores with the model.
func TestHSTreeMatchesNaiveReference(t *testing.T) {
	const dim, psi = 4, 32
	schema := testSchema(dim)
	cfg := Config{Trees: 5, Depth: 6, Window: psi, SizeLimit: 3, WarmUp: psi + 1, Seed: 9}
	m, err := NewModel(schema, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	sample := func() Vector {
		v := make(Vector, dim)
		for i := range v {
			v[i] = rng.NormFloat64() * float64(i+1)
		}
		return v
	}
	var stream []Vector
	for n := 0; n < 6*psi+7; n++ {
		v := sample()
		stream = append(stream, v)
		if err := m.Learn(v); err != nil {
			t.Fatal(err)
		}
		if n+1 <= psi {
			continue
		}
		// Naive normalisation from the first ψ samples.
		mn, mx := make([]float64, dim), make([]float64, dim)
		for q := 0; q < dim; q++ {
			mn[q], mx[q] = math.Inf(1), math.Inf(-1)
			for _, s := range stream[:psi] {
				mn[q], mx[q] = math.Min(mn[q], s[q]), math.Max(mx[q], s[q])
			}
		}
		norm := func(v Vector) []float64 {
			out := make([]float64, dim)
			for q := range v {
				span := mx[q] - mn[q]
				if span == 0 {
					span = 1
				}
				out[q] = (v[q] - mn[q]) / span
			}
			return out
		}
		// The reference window: the first ψ samples until the first
		// latest window completes, then the last completed window.
		streamed := n + 1 - psi
		ref := stream[:psi]
		if c := streamed / psi; c > 0 {
			ref = stream[psi+(c-1)*psi : psi+c*psi]
		}
		probe := sample()
		probe[0] += float64(n%3) * 4 // some off-distribution probes
		var want float64
		for ti := range m.forest.trees {
			tr := &m.forest.trees[ti]
			root := refBuild(tr.wlo, tr.whi, tr.nodes, 0, 0, cfg.Depth)
			for _, s := range ref {
				root.insert(norm(s))
			}
			refCheckMasses(t, root, tr.nodes, 0)
			want += refScore(root, norm(probe), cfg.SizeLimit)
		}
		res, err := m.Score(probe)
		if err != nil {
			t.Fatal(err)
		}
		if res.Mass != want {
			t.Fatalf("n=%d: Mass = %v, reference %v", n+1, res.Mass, want)
		}
	}
}

func TestWorkSpace(t *testing.T) {
	m := mustWarm(t, 4, DefaultConfig(11), 600)
	for _, tr := range m.forest.trees {
		for q := range tr.wlo {
			s := (tr.wlo[q] + tr.whi[q]) / 2
			sigma := (tr.whi[q] - tr.wlo[q]) / 2
			if math.Abs(sigma-2*math.Max(s, 1-s)) > 1e-12 || s < 0 || s > 1 {
				t.Fatalf("work space [%v, %v] is not [s−σ, s+σ] with σ = 2·max(s, 1−s)", tr.wlo[q], tr.whi[q])
			}
		}
	}
}
