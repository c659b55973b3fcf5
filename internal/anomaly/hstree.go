package anomaly

import (
	"math"
	"math/rand/v2"
)

// Streaming Half-Space Trees (Tan, Ting & Liu, IJCAI 2011).
//
// Input space. The first ψ samples (the first reference window) fix a
// per-feature min-max normalisation x̃_q = (x_q − min_q)/span_q, with
// span_q = max_q − min_q, or 1 when the feature was constant. On this
// [0,1]-normalised space each tree gets its own random work space, exactly
// as in the paper's InitialiseWorkSpace:
//
//	s_q ~ U[0,1);  σ_q = 2·max(s_q, 1 − s_q);  work range = [s_q − σ_q, s_q + σ_q]
//
// which always contains [0,1] with a random margin, so later samples
// somewhat outside the warm-up range still fall inside it (samples further
// out fall into the extreme half-spaces, which is what we want).
//
// Structure. BuildSingleHS-Tree: every internal node at depth k < D picks a
// split feature q uniformly at random and splits the node's current range
// [lo_q, hi_q] at the midpoint p = (lo_q + hi_q)/2: x̃_q < p goes left,
// otherwise right. Trees are complete, so they are stored as heap-ordered
// arrays: node i has children 2i+1 and 2i+2; internal nodes are 0 …
// 2^D − 2, leaves 2^D − 1 … 2^(D+1) − 2. Split values are recomputed during
// traversal from the work space (they are fully determined by it), so a
// node is 6 bytes: the split feature and the two masses as uint16 (ψ is at
// most 65535), kept together so that a visit touches one cache line.
//
// Mass profiles. Each node has a reference mass r and a latest mass l.
// UpdateMass adds the sample to every node on its root-to-leaf path: into
// r for the first ψ samples, into l afterwards. After each further ψ
// samples the windows swap: r ← l, l ← 0 for every node. Only nodes with
// non-zero mass are touched (they are tracked in per-tree lists), so a swap
// costs O(ψ·D) instead of O(2^D).
//
// Score (the paper's Algorithm 3). Walk from the root towards the sample's
// leaf and stop at the first node that is a leaf (depth D) or whose
// reference mass is below the size limit (r < sizeLimit, default 0.1·ψ as
// in the paper); the tree's score is
//
//	s_t(x) = r(node) · 2^depth(node)
//
// and the ensemble score is S(x) = Σ_t s_t(x). High S means x lies in a
// dense region of the reference window; low S is anomalous.
//
// Attribution. For every split on the scoring path (root down to the
// stopping node) where the sample's child has less reference mass than its
// sibling, the split feature q is credited log2((r_sibling + 1)/(r_child +
// 1)) bits: how strongly that split steered the sample into sparser space.
// Credits are summed over the trees and normalised to shares.

// hsForest is an ensemble of streaming half-space trees.
type hsForest struct {
	dim, depth, psi int
	sizeLimit       uint16
	lo, span        []float64 // min-max normalisation from the first ψ samples
	trees           []hsTree
	filled          int // samples recorded into the first reference window (== psi once streaming)
	count           int // samples in the current latest window, < psi

	log2p1 []float64 // log2p1[r] = log2(r + 1) for r = 0…ψ; derived, not persisted
}

// initTables fills the derived lookup tables.
func (f *hsForest) initTables() {
	f.log2p1 = make([]float64, f.psi+1)
	for r := range f.log2p1 {
		f.log2p1[r] = math.Log2(float64(r) + 1)
	}
}

type hsTree struct {
	wlo, whi []float64 // work space per feature (normalised units)
	nodes    []hsNode  // heap-ordered
	refNodes []uint32  // nodes with r > 0
	latNodes []uint32  // nodes with l > 0
}

// hsNode is one tree node: m[0] is the reference mass r, m[1] the latest
// mass l, and q the split feature (unused in leaves).
type hsNode struct {
	m [2]uint16
	q uint16
}

// numNodes returns the node count of a complete tree of depth D.
func numNodes(depth int) int { return 1<<(depth+1) - 1 }

// newHSForest builds the trees from the first ψ samples (rows of length
// dim in buf) and records those samples into the reference mass.
func newHSForest(buf []float64, dim, trees, depth, psi, sizeLimit int, rng *rand.Rand) *hsForest {
	f := &hsForest{
		dim: dim, depth: depth, psi: psi, sizeLimit: uint16(sizeLimit),
		lo: make([]float64, dim), span: make([]float64, dim),
		trees: make([]hsTree, trees),
	}
	f.initTables()
	for q := 0; q < dim; q++ {
		mn, mx := math.Inf(1), math.Inf(-1)
		for i := q; i < len(buf); i += dim {
			mn, mx = min(mn, buf[i]), max(mx, buf[i])
		}
		f.lo[q] = mn
		if s := mx - mn; s > 0 {
			f.span[q] = s
		} else {
			f.span[q] = 1
		}
	}
	nInternal := 1<<depth - 1
	for t := range f.trees {
		tr := &f.trees[t]
		tr.wlo, tr.whi = make([]float64, dim), make([]float64, dim)
		for q := 0; q < dim; q++ {
			s := rng.Float64()
			sigma := 2 * max(s, 1-s)
			tr.wlo[q], tr.whi[q] = s-sigma, s+sigma
		}
		tr.nodes = make([]hsNode, numNodes(depth))
		for i := 0; i < nInternal; i++ {
			tr.nodes[i].q = uint16(rng.IntN(dim))
		}
	}
	xn := make([]float64, dim)
	lo, hi := make([]float64, dim), make([]float64, dim)
	for i := 0; i+dim <= len(buf); i += dim {
		f.normalize(buf[i:i+dim], xn)
		f.learn(xn, nil, lo, hi)
	}
	return f
}

// normalize writes the min-max normalised x into dst.
func (f *hsForest) normalize(x, dst []float64) {
	for q, v := range x {
		dst[q] = (v - f.lo[q]) / f.span[q]
	}
}

// streaming reports whether the first reference window is complete.
func (f *hsForest) streaming() bool { return f.filled >= f.psi }

// score returns S(x) = Σ_t s_t(x) for a normalised sample. If attrib is
// non-nil (length dim), the path-split credits described above are added
// to it. lo and hi are scratch slices of length dim.
func (f *hsForest) score(xn, attrib, lo, hi []float64) float64 {
	var total float64
	for t := range f.trees {
		tr := &f.trees[t]
		copy(lo, tr.wlo)
		copy(hi, tr.whi)
		i := 0
		for k := 0; ; k++ {
			nd := &tr.nodes[i]
			r := nd.m[0]
			if k == f.depth || r < f.sizeLimit {
				total += float64(r) * float64(uint64(1)<<k)
				break
			}
			q := nd.q
			p := lo[q]/2 + hi[q]/2
			child, sib := 2*i+1, 2*i+2
			if xn[q] < p {
				hi[q] = p
			} else {
				lo[q] = p
				child, sib = sib, child
			}
			if attrib != nil {
				rc, rs := tr.nodes[child].m[0], tr.nodes[sib].m[0]
				if rc < rs {
					attrib[q] += f.log2p1[rs] - f.log2p1[rc]
				}
			}
			i = child
		}
	}
	return total
}

// learn adds a normalised sample to the mass profile (UpdateMass), into
// the reference mass while the first window fills and into the latest mass
// afterwards, swapping windows every ψ samples. In the streaming phase it
// also returns S(x) computed against the reference mass before the update,
// and ok = true; if attrib is non-nil the path credits are added to it.
// Both are identical to what score returns before the update, because
// score reads only r and learn writes only l (the swap comes last).
func (f *hsForest) learn(xn, attrib, lo, hi []float64) (s float64, ok bool) {
	ref := !f.streaming()
	off := 1
	if ref {
		off = 0
	}
	for t := range f.trees {
		tr := &f.trees[t]
		copy(lo, tr.wlo)
		copy(hi, tr.whi)
		i := 0
		scored := ref
		for k := 0; ; k++ {
			nd := &tr.nodes[i]
			m := &nd.m[off]
			if *m == 0 {
				if ref {
					tr.refNodes = append(tr.refNodes, uint32(i))
				} else {
					tr.latNodes = append(tr.latNodes, uint32(i))
				}
			}
			*m++
			if !scored {
				if r := nd.m[0]; k == f.depth || r < f.sizeLimit {
					s += float64(r) * float64(uint64(1)<<k)
					scored = true
				}
			}
			if k == f.depth {
				break
			}
			q := nd.q
			p := lo[q]/2 + hi[q]/2
			child, sib := 2*i+1, 2*i+2
			if xn[q] < p {
				hi[q] = p
			} else {
				lo[q] = p
				child, sib = sib, child
			}
			if !scored && attrib != nil {
				rc, rs := tr.nodes[child].m[0], tr.nodes[sib].m[0]
				if rc < rs {
					attrib[q] += f.log2p1[rs] - f.log2p1[rc]
				}
			}
			i = child
		}
	}
	if ref {
		f.filled++
		return 0, false
	}
	f.count++
	if f.count == f.psi {
		f.swap()
	}
	return s, true
}

// swap makes the latest window the reference window: r ← l, l ← 0.
func (f *hsForest) swap() {
	for t := range f.trees {
		tr := &f.trees[t]
		for _, i := range tr.refNodes {
			tr.nodes[i].m[0] = 0
		}
		for _, i := range tr.latNodes {
			nd := &tr.nodes[i]
			nd.m[0], nd.m[1] = nd.m[1], 0
		}
		tr.refNodes, tr.latNodes = tr.latNodes, tr.refNodes[:0]
	}
	f.count = 0
}
