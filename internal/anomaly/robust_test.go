package anomaly

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteMedian is a naive median over a copy of xs.
func bruteMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return s[n/2-1]/2 + s[n/2]/2
}

// bruteMAD materialises every deviation and takes their median.
func bruteMAD(xs []float64, med float64) float64 {
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = math.Abs(x - med)
	}
	return bruteMedian(dev)
}

func TestSlidingWindowMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, capacity := range []int{1, 2, 3, 7, 64, 501} {
		w := newSlidingWindow(capacity)
		var all []float64
		for i := 0; i < 3*capacity+50; i++ {
			var x float64
			switch rng.IntN(4) {
			case 0:
				x = float64(rng.IntN(5)) // many ties
			case 1:
				x = rng.NormFloat64()
			case 2:
				x = math.Exp(3 * rng.NormFloat64())
			default:
				x = -float64(rng.IntN(3))
			}
			w.push(x)
			all = append(all, x)
			last := all[max(0, len(all)-capacity):]
			med := bruteMedian(last)
			if got := w.median(); got != med {
				t.Fatalf("cap %d step %d: median %v, want %v", capacity, i, got, med)
			}
			if got, want := w.mad(med), bruteMAD(last, med); got != want {
				t.Fatalf("cap %d step %d: MAD %v, want %v (window %v)", capacity, i, got, want, last)
			}
		}
	}
}

// bruteZ recomputes a robust z-score from the raw history.
func bruteZ(history []float64, window int, alpha, floor, x float64) float64 {
	last := history[max(0, len(history)-window):]
	med := bruteMedian(last)
	mad := bruteMAD(last, med)
	// EWMA replayed from scratch.
	var mean, variance float64
	for i, h := range history {
		if i == 0 {
			mean = h
			continue
		}
		d := h - mean
		mean += alpha * d
		variance = (1 - alpha) * (variance + alpha*d*d)
	}
	if sigma := mad / 0.6745; sigma >= floor && sigma > 0 {
		return 0.6745 * (x - med) / mad
	}
	return (x - med) / max(mad/0.6745, math.Sqrt(variance), floor)
}

func TestRobustZMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const window, alpha, floor = 50, 0.05, 0.01
	for _, gen := range []struct {
		name string
		f    func() float64
	}{
		{"normal", rng.NormFloat64},
		{"flag", func() float64 { return float64(rng.IntN(20) / 19) }}, // mostly 0: MAD = 0
		{"constant", func() float64 { return 7 }},                      // MAD = 0 and σ = 0
		{"lognormal", func() float64 { return math.Exp(2 * rng.NormFloat64()) }},
	} {
		r := newRobustStat(window)
		var hist []float64
		for i := 0; i < 200; i++ {
			x := gen.f()
			if i > 0 {
				for _, probe := range []float64{x, x + 5, -3, 7} {
					got, _ := r.z(probe, floor)
					want := bruteZ(hist, window, alpha, floor, probe)
					if math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
						t.Fatalf("%s step %d probe %v: z = %v, want %v", gen.name, i, probe, got, want)
					}
				}
			}
			r.push(x, alpha)
			hist = append(hist, x)
		}
	}
}

func TestSquash(t *testing.T) {
	for _, tc := range []struct{ z, want float64 }{{-1, 0}, {0, 0}, {3.5, 0.5}, {7, 2.0 / 3}, {1e6, 1e6 / (1e6 + 3.5)}} {
		if got := squash(tc.z, 3.5); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("squash(%v) = %v, want %v", tc.z, got, tc.want)
		}
	}
}
