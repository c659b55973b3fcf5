package traffic

import (
	"math/big"
)

// fee is a constant-product pool's swap fee as the fraction Num/Den of the
// input that is kept (Uniswap V2: 997/1000).
type fee struct{ Num, Den int64 }

// uniV2Fee is the 0.3% Uniswap V2 fee.
var uniV2Fee = fee{Num: 997, Den: 1000}

// amountOut is the Uniswap V2 getAmountOut formula: the output of selling in
// into a pool with reserves rIn/rOut. It returns 0 for empty inputs.
func amountOut(in, rIn, rOut *big.Int, f fee) *big.Int {
	if in.Sign() <= 0 || rIn.Sign() <= 0 || rOut.Sign() <= 0 {
		return new(big.Int)
	}
	inWithFee := new(big.Int).Mul(in, big.NewInt(f.Num))
	num := new(big.Int).Mul(inWithFee, rOut)
	den := new(big.Int).Mul(rIn, big.NewInt(f.Den))
	den.Add(den, inWithFee)
	return num.Quo(num, den)
}

// reserves are one pool's reserves in a fixed orientation (A, B).
type reserves struct{ A, B *big.Int }

func (r reserves) clone() reserves {
	return reserves{A: new(big.Int).Set(r.A), B: new(big.Int).Set(r.B)}
}

// swapAForB applies selling in of A to r and returns the B received.
func (r *reserves) swapAForB(in *big.Int, f fee) *big.Int {
	out := amountOut(in, r.A, r.B, f)
	r.A = new(big.Int).Add(r.A, in)
	r.B = new(big.Int).Sub(r.B, out)
	return out
}

// swapBForA applies selling in of B to r and returns the A received.
func (r *reserves) swapBForA(in *big.Int, f fee) *big.Int {
	out := amountOut(in, r.B, r.A, f)
	r.B = new(big.Int).Add(r.B, in)
	r.A = new(big.Int).Sub(r.A, out)
	return out
}

// priceBInA is the marginal price of one unit of B in units of A (A/B).
func (r reserves) priceBInA() float64 {
	if r.B.Sign() == 0 {
		return 0
	}
	q, _ := new(big.Rat).SetFrac(r.A, r.B).Float64()
	return q
}

// optimalArb returns the input x of token X that maximises the profit of
// selling x into pool 1 (reserves xIn1 of X, yOut1 of Y) and the Y received
// into pool 2 (reserves yIn2 of Y, xOut2 of X), and that profit in X. It
// returns zero values when no profitable trade exists.
//
// The two pools compose into one virtual constant-product pool with
// reserves E0 (X) and E1 (X out), for which the optimum is closed form:
// x = (sqrt(E0·E1·γ) − E0)/γ with γ the kept fraction of the input.
func optimalArb(xIn1, yOut1, yIn2, xOut2 *big.Int, f fee) (x, profit *big.Int) {
	zero := func() (*big.Int, *big.Int) { return new(big.Int), new(big.Int) }
	if xIn1.Sign() <= 0 || yOut1.Sign() <= 0 || yIn2.Sign() <= 0 || xOut2.Sign() <= 0 {
		return zero()
	}
	n, d := big.NewInt(f.Num), big.NewInt(f.Den)
	// denom = Den·yIn2 + Num·yOut1
	denom := new(big.Int).Mul(d, yIn2)
	denom.Add(denom, new(big.Int).Mul(n, yOut1))
	// E0 = Den·xIn1·yIn2 / denom ; E1 = Num·yOut1·xOut2 / denom
	e0 := new(big.Int).Mul(d, xIn1)
	e0.Mul(e0, yIn2)
	e0.Quo(e0, denom)
	e1 := new(big.Int).Mul(n, yOut1)
	e1.Mul(e1, xOut2)
	e1.Quo(e1, denom)
	// x = (sqrt(E0·E1·Num·Den) − Den·E0) / Num, all in units of X.
	s := new(big.Int).Mul(e0, e1)
	s.Mul(s, n)
	s.Mul(s, d)
	s.Sqrt(s)
	dE0 := new(big.Int).Mul(d, e0)
	if s.Cmp(dE0) <= 0 {
		return zero()
	}
	x = s.Sub(s, dE0)
	x.Quo(x, n)
	y := amountOut(x, xIn1, yOut1, f)
	back := amountOut(y, yIn2, xOut2, f)
	profit = back.Sub(back, x)
	if profit.Sign() <= 0 {
		return zero()
	}
	return x, profit
}

// sandwichFrontRun returns the largest front-run input f ≤ maxIn of token A
// such that a victim selling victimIn of A into r after the front-run still
// receives at least victimMinOut of B, together with the bot's profit in A
// from selling the front-run's B back after the victim. It returns zeros when
// no profitable front-run exists.
func sandwichFrontRun(r reserves, victimIn, victimMinOut, maxIn *big.Int, f fee) (front, profit *big.Int) {
	zero := func() (*big.Int, *big.Int) { return new(big.Int), new(big.Int) }
	victimOK := func(fr *big.Int) bool {
		p := r.clone()
		p.swapAForB(fr, f)
		return p.swapAForB(victimIn, f).Cmp(victimMinOut) >= 0
	}
	if maxIn.Sign() <= 0 || !victimOK(new(big.Int)) {
		return zero()
	}
	lo, hi := new(big.Int), new(big.Int).Set(maxIn)
	if !victimOK(hi) {
		// Binary search the boundary in [lo, hi).
		one := big.NewInt(1)
		for new(big.Int).Sub(hi, lo).Cmp(one) > 0 {
			mid := new(big.Int).Add(lo, hi)
			mid.Rsh(mid, 1)
			if victimOK(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		hi = lo
	}
	front = hi
	p := r.clone()
	got := p.swapAForB(front, f)
	p.swapAForB(victimIn, f)
	back := p.swapBForA(got, f)
	profit = back.Sub(back, front)
	if front.Sign() == 0 || profit.Sign() <= 0 {
		return zero()
	}
	return front, profit
}
