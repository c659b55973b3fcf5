package traffic

import (
	"math"
	"math/big"
	"math/rand/v2"
)

// logNormal draws exp(N(mu, sigma²)).
func logNormal(r *rand.Rand, mu, sigma float64) float64 {
	return math.Exp(mu + sigma*r.NormFloat64())
}

// pareto draws from a Pareto(xm, alpha) distribution (heavy tail, minimum xm).
func pareto(r *rand.Rand, xm, alpha float64) float64 {
	u := 1 - r.Float64() // (0, 1]
	return xm / math.Pow(u, 1/alpha)
}

// swapFraction draws a swap's size as a fraction of the input-side pool
// depth: mostly tiny (log-normal around 0.1%), with a Pareto tail of whales.
// Ordinary swaps are capped at maxFrac; the tail at whaleFrac.
func swapFraction(r *rand.Rand, whaleProb, maxFrac, whaleFrac float64) (frac float64, whale bool) {
	if r.Float64() < whaleProb {
		return math.Min(pareto(r, maxFrac, 1.5), whaleFrac), true
	}
	return math.Min(logNormal(r, math.Log(0.001), 1.1), maxFrac), false
}

// frac returns ⌊x·f⌋ for 0 ≤ f, with f resolved to 1e-9.
func frac(x *big.Int, f float64) *big.Int {
	if f <= 0 || x.Sign() <= 0 {
		return new(big.Int)
	}
	ppb := big.NewInt(int64(math.Round(f * 1e9)))
	v := new(big.Int).Mul(x, ppb)
	return v.Quo(v, big.NewInt(1e9))
}

// etherF converts a float number of ether to wei, resolved to 1e-9 ether.
func etherF(eth float64) *big.Int {
	if eth <= 0 {
		return new(big.Int)
	}
	v := big.NewInt(int64(math.Round(eth * 1e9)))
	return v.Mul(v, big.NewInt(1e9))
}

// pick draws an index with probability proportional to weights; it returns
// -1 when all weights are zero.
func pick(r *rand.Rand, weights []float64) int {
	var total float64
	for _, w := range weights {
		if w > 0 {
			total += w
		}
	}
	if total <= 0 {
		return -1
	}
	x := r.Float64() * total
	for i, w := range weights {
		if w <= 0 {
			continue
		}
		if x < w {
			return i
		}
		x -= w
	}
	for i := len(weights) - 1; i >= 0; i-- {
		if weights[i] > 0 {
			return i
		}
	}
	return -1
}
