package anomaly

import (
	"math"
	"sort"
)

// madConsistency is the constant in the robust ("modified") z-score of
// Iglewicz & Hoaglin: z = 0.6745·(x − median)/MAD. 0.6745 ≈ Φ⁻¹(0.75), so
// MAD/0.6745 estimates the standard deviation of normal data.
const madConsistency = 0.6745

// maxAbsZ bounds reported z-scores so that they stay finite and printable.
const maxAbsZ = 1e6

// slidingWindow holds the last capacity values both in arrival order (a
// ring) and in sorted order, so that the exact median and MAD are
// available at all times. Push costs O(log n) comparisons plus an O(n)
// memmove; Median is O(1) and MAD is O(log n).
type slidingWindow struct {
	capacity int
	ring     []float64 // arrival order; when full, ring[head] is the oldest
	head     int
	sorted   []float64
}

func newSlidingWindow(capacity int) slidingWindow {
	return slidingWindow{capacity: capacity}
}

// push appends x, evicting the oldest value when the window is full.
// x must not be NaN.
func (w *slidingWindow) push(x float64) {
	x += 0 // canonicalise -0 so that sorted order is unique
	if w.ring == nil {
		// Allocate lazily so that decoding cannot be made to reserve
		// memory the input does not back.
		w.ring = make([]float64, 0, w.capacity)
		w.sorted = make([]float64, 0, w.capacity)
	}
	if len(w.ring) < w.capacity {
		w.ring = append(w.ring, x)
		i := sort.SearchFloat64s(w.sorted, x)
		w.sorted = append(w.sorted, 0)
		copy(w.sorted[i+1:], w.sorted[i:])
		w.sorted[i] = x
		return
	}
	old := w.ring[w.head]
	w.ring[w.head] = x
	w.head++
	if w.head == w.capacity {
		w.head = 0
	}
	// Replace old by x in sorted order, shifting only the values between
	// the two positions.
	s := w.sorted
	i := sort.SearchFloat64s(s, old) // s[i] == old
	j := sort.SearchFloat64s(s, x)   // insertion point with old still present
	if j > i {
		copy(s[i:j-1], s[i+1:j])
		s[j-1] = x
	} else {
		copy(s[j+1:i+1], s[j:i])
		s[j] = x
	}
}

func (w *slidingWindow) len() int { return len(w.sorted) }

// median returns the window median (mean of the two middle values for an
// even count, computed as a/2 + b/2 to avoid overflow). It returns 0 for an
// empty window.
func (w *slidingWindow) median() float64 { return medianSorted(w.sorted) }

func medianSorted(s []float64) float64 {
	n := len(s)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return s[n/2]
	}
	return s[n/2-1]/2 + s[n/2]/2
}

// mad returns the median absolute deviation from med (normally the window
// median): the median of |x_i − med|. The deviations of the sorted window
// form two sorted runs, the values below med read downwards and the values
// at or above med read upwards, so the k-th smallest deviation is found by
// a binary search over how many elements come from each run, without
// materialising the deviations.
func (w *slidingWindow) mad(med float64) float64 {
	s := w.sorted
	n := len(s)
	if n == 0 {
		return 0
	}
	p := sort.SearchFloat64s(s, med) // s[:p] < med ≤ s[p:]
	na, nb := p, n-p
	// a(i) = med − s[p−1−i] (i < na) and b(j) = s[p+j] − med (j < nb) are
	// both non-decreasing; they are written out inline below.
	kth := func(k int) float64 {
		// Take i elements from a and j = k+1−i from b; the k-th smallest is
		// the larger of the last taken from each, at the smallest i for
		// which b(j−1) ≤ a(i).
		lo, hi := max(0, k+1-nb), min(k+1, na)
		for lo < hi {
			i := int(uint(lo+hi) >> 1)
			j := k + 1 - i
			if j > 0 && i < na && s[p+j-1]-med > med-s[p-1-i] {
				lo = i + 1
			} else {
				hi = i
			}
		}
		i, j := lo, k+1-lo
		v := math.Inf(-1)
		if i > 0 {
			v = med - s[p-i]
		}
		if j > 0 {
			v = max(v, s[p+j-1]-med)
		}
		return v
	}
	if n%2 == 1 {
		return kth(n / 2)
	}
	return kth(n/2-1)/2 + kth(n/2)/2
}

// ewma tracks an exponentially weighted mean and variance:
//
//	d = x − mean;  mean += α·d;  var = (1 − α)·(var + α·d²)
//
// (the incremental form of West 1979 / Finch 2009). The first sample sets
// mean = x, var = 0.
type ewma struct {
	mean, variance float64
	n              uint64
}

func (e *ewma) push(x, alpha float64) {
	if e.n == 0 {
		e.mean, e.variance = x, 0
	} else {
		d := x - e.mean
		inc := alpha * d
		e.mean += inc
		e.variance = (1 - alpha) * (e.variance + d*inc)
	}
	e.n++
}

func (e *ewma) std() float64 { return math.Sqrt(e.variance) }

// robustStat is the streaming robust location/scale estimate of one scalar
// series: an exact sliding-window median and MAD plus an EWMA fallback.
type robustStat struct {
	win slidingWindow
	ew  ewma
}

func newRobustStat(window int) robustStat { return robustStat{win: newSlidingWindow(window)} }

func (r *robustStat) push(x, alpha float64) {
	r.win.push(x)
	r.ew.push(x, alpha)
}

// z returns the robust z-score of x and the window median. With the
// normal-consistent scale σ̂ = MAD/0.6745:
//
//	z = 0.6745·(x − median)/MAD               if σ̂ ≥ floor (and MAD > 0)
//	z = (x − median)/max(σ̂, σ_EWMA, floor)    otherwise
//
// The fallback covers counts and flags whose window is (almost) constant,
// so that MAD is zero or tiny. |z| is clamped to 1e6. An empty window
// yields z = 0.
func (r *robustStat) z(x, floor float64) (z, median float64) {
	if r.win.len() == 0 {
		return 0, 0
	}
	med := r.win.median()
	mad := r.win.mad(med)
	if sigma := mad / madConsistency; sigma >= floor && sigma > 0 {
		z = madConsistency * (x - med) / mad
	} else {
		z = (x - med) / max(sigma, r.ew.std(), floor)
	}
	return clampZ(z), med
}

func clampZ(z float64) float64 {
	switch {
	case z > maxAbsZ:
		return maxAbsZ
	case z < -maxAbsZ:
		return -maxAbsZ
	case z != z: // NaN cannot arise from validated inputs; be safe anyway.
		return 0
	}
	return z
}

// squash maps a non-negative z to [0, 1): s = z/(z + c). With the default
// c = 3.5 (the Iglewicz–Hoaglin cutoff for modified z-scores), z = 3.5 maps
// to 0.5, z = 7 to 2/3 and z = 35 to 10/11. Negative z maps to 0.
func squash(z, c float64) float64 {
	if z <= 0 {
		return 0
	}
	return z / (z + c)
}
