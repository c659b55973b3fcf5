package anomaly

import (
	"math/rand/v2"
	"testing"
)

// benchModel returns a warm model with T=25, D=15, ψ=250 and 12 features,
// plus a pool of pre-generated samples.
func benchModel(b *testing.B) (*Model, []Vector) {
	b.Helper()
	const dim = 12
	cfg := DefaultConfig(1) // T=25, D=15, ψ=250, RobustWindow=1000
	m := mustWarm(b, dim, cfg, 3000)
	rng := rand.New(rand.NewPCG(2, 2))
	pool := make([]Vector, 4096)
	for i := range pool {
		pool[i] = gaussian(rng, dim)
		if i%97 == 0 {
			pool[i][i%dim] += 8
		}
	}
	return m, pool
}

func BenchmarkScoreAndLearn(b *testing.B) {
	m, pool := benchModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := m.ScoreAndLearn(pool[i%len(pool)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

func BenchmarkScore(b *testing.B) {
	m, pool := benchModel(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := m.Score(pool[i%len(pool)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLearn(b *testing.B) {
	m, pool := benchModel(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := m.Learn(pool[i%len(pool)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	m, _ := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		state, err := m.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(state)))
	}
}
