package anomaly

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"
)

func testSchema(dim int) *Schema {
	fs := make([]Feature, dim)
	for i := range fs {
		fs[i] = Feature{Name: fmt.Sprintf("f%d", i)}
	}
	s, err := NewSchema(fs...)
	if err != nil {
		panic(err)
	}
	return s
}

func gaussian(rng *rand.Rand, dim int) Vector {
	v := make(Vector, dim)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

// mustWarm returns a model that has learned n standard-normal samples.
func mustWarm(t testing.TB, dim int, cfg Config, n int) *Model {
	t.Helper()
	m, err := NewModel(testSchema(dim), cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 77))
	for i := 0; i < n; i++ {
		if err := m.Learn(gaussian(rng, dim)); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// auc is the Mann–Whitney estimate of P(score(outlier) > score(inlier)),
// counting ties as one half.
func auc(scores []float64, outlier []bool) float64 {
	var pos, neg []float64
	for i, s := range scores {
		if outlier[i] {
			pos = append(pos, s)
		} else {
			neg = append(neg, s)
		}
	}
	var sum float64
	for _, p := range pos {
		for _, n := range neg {
			switch {
			case p > n:
				sum++
			case p == n:
				sum += 0.5
			}
		}
	}
	return sum / float64(len(pos)*len(neg))
}

func TestDeterminism(t *testing.T) {
	run := func(seed uint64) []Result {
		m, err := NewModel(testSchema(5), Config{Seed: seed, Trees: 10, Depth: 8, Window: 64})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 1)) // same data for every seed
		var out []Result
		for i := 0; i < 400; i++ {
			v := gaussian(rng, 5)
			if i%50 == 49 {
				v[2] += 8
			}
			r, err := m.ScoreAndLearn(v)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	a, b := run(42), run(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed produced different results")
	}
	c := run(43)
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds produced identical results")
	}
}

func TestWarmup(t *testing.T) {
	cfg := Config{Trees: 4, Depth: 5, Window: 16, WarmUp: 40, Seed: 1}
	m, err := NewModel(testSchema(3), cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for i := 0; i < 40; i++ {
		r, err := m.ScoreAndLearn(gaussian(rng, 3))
		if err != nil {
			t.Fatal(err)
		}
		if !r.Warmup || !reflect.DeepEqual(r, Result{Warmup: true}) {
			t.Fatalf("sample %d: %+v, want warm-up result", i, r)
		}
		if (i+1 >= 16) != (m.forest != nil) {
			t.Fatalf("sample %d: forest built = %v", i, m.forest != nil)
		}
	}
	if !m.Warm() || m.Samples() != 40 {
		t.Fatalf("Warm() = %v, Samples() = %d after 40", m.Warm(), m.Samples())
	}
	r, err := m.Score(gaussian(rng, 3))
	if err != nil || r.Warmup || r.Mass == 0 {
		t.Fatalf("after warm-up: %+v, %v", r, err)
	}
	// Score does not learn.
	r2, _ := m.Score(Vector{0, 0, 0})
	r3, _ := m.Score(Vector{0, 0, 0})
	if !reflect.DeepEqual(r2, r3) || m.Samples() != 40 {
		t.Fatal("Score changed the model")
	}
}

func TestWindowSwapKeepsRootMass(t *testing.T) {
	cfg := Config{Trees: 3, Depth: 6, Window: 20, Seed: 3}
	m := mustWarm(t, 2, cfg, 20)
	rng := rand.New(rand.NewPCG(8, 8))
	for i := 1; i <= 100; i++ {
		if err := m.Learn(gaussian(rng, 2)); err != nil {
			t.Fatal(err)
		}
		for _, tr := range m.forest.trees {
			if r, l := tr.nodes[0].m[0], tr.nodes[0].m[1]; r != 20 || int(l) != i%20 {
				t.Fatalf("after %d streamed: root r = %d, l = %d; want 20, %d", i, r, l, i%20)
			}
			if len(tr.latNodes) > (cfg.Depth+1)*(i%20) || len(tr.refNodes) > (cfg.Depth+1)*20 {
				t.Fatalf("touched-node lists too long: %d, %d", len(tr.refNodes), len(tr.latNodes))
			}
		}
	}
}

// TestWindowSwapAdapts checks that after a regime change the model stops
// flagging the new regime once a full latest window has replaced the
// reference (HS-Trees forget the old reference after one swap).
func TestWindowSwapAdapts(t *testing.T) {
	cfg := Config{Trees: 25, Depth: 10, Window: 100, Seed: 4}
	m := mustWarm(t, 3, cfg, 250)
	shifted := Vector{6, 6, 6}
	before, _ := m.Score(shifted)
	rng := rand.New(rand.NewPCG(9, 9))
	// 50 samples to finish the current latest window, then a full window
	// of the new regime.
	for i := 0; i < 250; i++ {
		v := gaussian(rng, 3)
		for q := range v {
			v[q] += 6
		}
		if err := m.Learn(v); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := m.Score(shifted)
	if !(before.Mass < after.Mass) || before.HST < 0.5 {
		t.Fatalf("mass before %v (HST %v), after %v: want the shifted regime anomalous then normal", before.Mass, before.HST, after.Mass)
	}
}

func TestGaussianOutliersAUC(t *testing.T) {
	const dim = 6
	m, err := NewModel(testSchema(dim), DefaultConfig(2024))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2024, 1))
	for i := 0; i < 1000; i++ {
		if err := m.Learn(gaussian(rng, dim)); err != nil {
			t.Fatal(err)
		}
	}
	var scores, hst, rz []float64
	var isOut []bool
	const n, nOut = 2000, 20
	for i := 0; i < n; i++ {
		v := gaussian(rng, dim)
		out := i%(n/nOut) == n/nOut/2
		if out {
			// A far point: 6σ away along a random direction.
			dir := gaussian(rng, dim)
			var norm float64
			for _, x := range dir {
				norm += x * x
			}
			norm = math.Sqrt(norm)
			for q := range v {
				v[q] = 6 * dir[q] / norm
			}
		}
		r, err := m.ScoreAndLearn(v)
		if err != nil {
			t.Fatal(err)
		}
		scores, hst, rz = append(scores, r.Score), append(hst, r.HST), append(rz, r.RobustZ)
		isOut = append(isOut, out)
	}
	aScore, aHST, aRZ := auc(scores, isOut), auc(hst, isOut), auc(rz, isOut)
	t.Logf("AUC: Score %.4f, HST %.4f, RobustZ %.4f", aScore, aHST, aRZ)
	if aScore < 0.95 || aHST < 0.95 {
		t.Errorf("AUC Score %.4f, HST %.4f: want ≥ 0.95", aScore, aHST)
	}
	// Outliers rank in the top k: at least 90% of the 20 outliers are
	// among the 20 highest scores.
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	hits := 0
	for _, i := range idx[:nOut] {
		if isOut[i] {
			hits++
		}
	}
	t.Logf("outliers in top %d: %d", nOut, hits)
	if hits < nOut*9/10 {
		t.Errorf("only %d of %d outliers in the top %d", hits, nOut, nOut)
	}
}

// defiSchema is a realistic per-transaction feature set.
func defiSchema(t testing.TB) *Schema {
	s, err := NewSchema(
		Feature{Name: "value_usd", Transform: Log1p},
		Feature{Name: "share_of_holdings_ppm", Transform: Log1p},
		Feature{Name: "gas_used", Transform: Log1p},
		Feature{Name: "call_depth", Transform: Identity},
		Feature{Name: "contracts_touched", Transform: Identity},
		Feature{Name: "tokens_touched", Transform: Identity},
		Feature{Name: "selector_rarity", Transform: Identity},
		Feature{Name: "sender_age_days", Transform: Log1p},
		Feature{Name: "price_impact_ppm", Transform: SymLog1p},
		Feature{Name: "flash_loan", Transform: Bool},
	)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type defiTx struct {
	Value      float64 `anomaly:"value_usd"`
	Share      float64 `anomaly:"share_of_holdings_ppm"`
	Gas        uint64  `anomaly:"gas_used"`
	Depth      int     `anomaly:"call_depth"`
	Contracts  int     `anomaly:"contracts_touched"`
	Tokens     int     `anomaly:"tokens_touched"`
	Rarity     float64 `anomaly:"selector_rarity"`
	SenderAge  float64 `anomaly:"sender_age_days"`
	Impact     float64 `anomaly:"price_impact_ppm"`
	FlashLoan  bool    `anomaly:"flash_loan"`
	Annotation string  // untagged: ignored
}

// normalSwap draws a swap from a heavy-tailed (log-normal) size
// distribution; price impact and pool share scale with size. Ratios are
// in parts per million so that log1p acts as a log over their range.
func normalSwap(rng *rand.Rand) defiTx {
	value := math.Exp(7 + 2*rng.NormFloat64()) // median ≈ $1.1k, σ_log = 2
	return defiTx{
		Value:     value,
		Share:     value / 5e8 * 1e6,
		Gas:       uint64(120000 + 30000*rng.Float64()),
		Depth:     2 + rng.IntN(2),
		Contracts: 2 + rng.IntN(3),
		Tokens:    2 + rng.IntN(2),
		Rarity:    rng.Float64() * 0.2,
		SenderAge: math.Exp(4 + 1.5*rng.NormFloat64()),
		Impact:    value / 5e8 * 1e6 * (0.8 + 0.4*rng.Float64()),
	}
}

func TestDeFiFlashLoanOutranksWhale(t *testing.T) {
	s := defiSchema(t)
	m, err := NewModel(s, DefaultConfig(7))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var txs []defiTx
	for i := 0; i < 5000; i++ {
		txs = append(txs, normalSwap(rng))
	}
	whale := 0
	for i, tx := range txs {
		if tx.Value > txs[whale].Value {
			whale = i
		}
	}
	// Learn everything except the whale, then score whale and attack
	// against the same state.
	for i, tx := range txs {
		if i == whale {
			continue
		}
		v, err := s.FromStruct(&tx)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Learn(v); err != nil {
			t.Fatal(err)
		}
	}
	attack := defiTx{
		Value: 3e8, Share: 6e5, Gas: 2_400_000, Depth: 9, Contracts: 14, Tokens: 6,
		Rarity: 0.95, SenderAge: 0, Impact: 4.5e5, FlashLoan: true,
	}
	score := func(tx defiTx) Result {
		v, err := s.FromStruct(tx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := m.Score(v)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	w, a := score(txs[whale]), score(attack)
	t.Logf("whale $%.0f: score %.3f (HST %.3f, z %.3f, sev %v) top %v", txs[whale].Value, w.Score, w.HST, w.RobustZ, w.Severity, names(w.Top))
	t.Logf("attack: score %.3f (HST %.3f, z %.3f, sev %v) top %v", a.Score, a.HST, a.RobustZ, a.Severity, names(a.Top))
	if !(a.Score > w.Score) || !(a.HST > w.HST) || !(a.Mass < w.Mass) {
		t.Errorf("attack does not outrank the largest whale swap")
	}
	if a.Severity != SeverityMedium {
		t.Errorf("attack severity %v, want medium (the cap)", a.Severity)
	}
	// Also a flash-loan-sized attack that looks normal in every other
	// respect (depth, gas, …) must beat the whale.
	quiet := txs[whale]
	quiet.Value, quiet.Share, quiet.Impact = 3e8, 6e5, 6e5
	q := score(quiet)
	t.Logf("quiet flash-loan-sized swap: score %.3f (HST %.3f, z %.3f, sev %v) top %v", q.Score, q.HST, q.RobustZ, q.Severity, names(q.Top))
	if !(q.Score > w.Score) {
		t.Errorf("flash-loan-sized swap %.3f does not outrank the whale %.3f", q.Score, w.Score)
	}
	if q.Top[0].Direction != High {
		t.Errorf("top contribution %+v: want direction high", q.Top[0])
	}
}

func names(cs []Contribution) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s(%.3g,%s)", c.Feature, c.Score, c.Direction))
	}
	return out
}

func TestExplanationPicksFeature3(t *testing.T) {
	const dim = 6
	for seed := uint64(1); seed <= 5; seed++ {
		m := mustWarm(t, dim, DefaultConfig(seed), 1000)
		for _, delta := range []float64{8, -8} {
			v := Vector{0.1, -0.2, 0.3, delta, 0, -0.1}
			r, err := m.Score(v)
			if err != nil {
				t.Fatal(err)
			}
			for _, list := range []struct {
				name string
				cs   []Contribution
			}{{"Top", r.Top}, {"TopRobustZ", r.TopRobustZ}, {"TopHST", r.TopHST}} {
				if len(list.cs) == 0 || list.cs[0].Feature != "f3" {
					t.Errorf("seed %d delta %v: %s = %v, want f3 first", seed, delta, list.name, names(list.cs))
				}
			}
			want := High
			if delta < 0 {
				want = Low
			}
			if c := r.Top[0]; c.Direction != want || c.Value != delta || math.Abs(c.Baseline) > 0.2 {
				t.Errorf("seed %d: top contribution %+v: want value %v, direction %s, baseline ≈ 0", seed, c, delta, want)
			}
			if r.TopHST[0].HSTShare < 0.5 {
				t.Errorf("seed %d: f3 HST share %.2f, want a majority", seed, r.TopHST[0].HSTShare)
			}
		}
	}
}

func TestSeverity(t *testing.T) {
	cfg := DefaultConfig(5)
	cfg.Thresholds = Thresholds{Info: 0.3, Low: 0.6, Medium: 0.9}
	m := mustWarm(t, 3, cfg, 600)
	levels := map[Severity]bool{}
	for _, d := range []float64{0, 2, 5, 10, 1e3, 1e90} {
		r, err := m.Score(Vector{d, 0, 0})
		if err != nil {
			t.Fatal(err)
		}
		if r.Severity > MaxSeverity {
			t.Fatalf("severity %v above the cap", r.Severity)
		}
		var want Severity
		switch {
		case r.Score >= 0.9:
			want = SeverityMedium
		case r.Score >= 0.6:
			want = SeverityLow
		case r.Score >= 0.3:
			want = SeverityInfo
		}
		if r.Severity != want {
			t.Errorf("score %v: severity %v, want %v", r.Score, r.Severity, want)
		}
		if r.Score < 0 || r.Score >= 1 || r.HST < 0 || r.HST >= 1 || r.RobustZ < 0 || r.RobustZ >= 1 {
			t.Errorf("scores out of [0,1): %+v", r)
		}
		levels[r.Severity] = true
	}
	if !levels[SeverityMedium] || !levels[SeverityNone] {
		t.Errorf("levels seen %v: want none … medium", levels)
	}
	if _, err := NewModel(testSchema(1), Config{Thresholds: Thresholds{Info: 0.8, Low: 0.5, Medium: 0.9}}); err == nil {
		t.Error("unordered thresholds accepted")
	}
}

func TestInvalidInputs(t *testing.T) {
	m := mustWarm(t, 3, DefaultConfig(1), 600)
	before, _ := m.MarshalBinary()
	for _, v := range []Vector{
		{math.NaN(), 0, 0}, {0, math.Inf(1), 0}, {0, 0, math.Inf(-1)}, {1e101, 0, 0}, {0, 0}, {0, 0, 0, 0}, nil,
	} {
		if _, err := m.Score(v); err == nil {
			t.Errorf("Score(%v) accepted", v)
		}
		if _, err := m.ScoreAndLearn(v); err == nil {
			t.Errorf("ScoreAndLearn(%v) accepted", v)
		}
		if err := m.Learn(v); err == nil {
			t.Errorf("Learn(%v) accepted", v)
		}
	}
	after, _ := m.MarshalBinary()
	if !slices.Equal(before, after) {
		t.Error("rejected inputs changed the model")
	}
	_, err := m.Score(Vector{math.NaN(), 0, 0})
	if !errors.Is(err, ErrInvalidValue) || !contains(err.Error(), `"f0"`) {
		t.Errorf("NaN error %v: want ErrInvalidValue naming f0", err)
	}
	for _, cfg := range []Config{{Trees: -1}, {Depth: 30}, {Window: 1}, {Window: 10, WarmUp: 10}, {EWMAAlpha: 2}, {ScaleFloor: math.Inf(1)}, {ZScale: math.NaN()}, {Trees: 256, Depth: 20}} {
		if _, err := NewModel(testSchema(2), cfg); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
	if _, err := NewModel(nil, Config{}); err == nil {
		t.Error("nil schema accepted")
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestSchemaVectors(t *testing.T) {
	s, err := NewSchema(
		Feature{Name: "amount", Transform: Log1p},
		Feature{Name: "flash", Transform: Bool},
		Feature{Name: "impact", Transform: SymLog1p},
		Feature{Name: "depth", Transform: Identity, Optional: true, Default: 1},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); !slices.Equal(got, []string{"amount", "flash", "impact", "depth"}) {
		t.Fatalf("Names() = %v", got)
	}
	v, err := s.Vector(map[string]float64{"amount": math.E - 1, "flash": 1, "impact": -(math.E - 1)})
	if err != nil {
		t.Fatal(err)
	}
	want := Vector{1, 1, -1, 1}
	for i := range want {
		if math.Abs(v[i]-want[i]) > 1e-15 {
			t.Fatalf("Vector = %v, want %v", v, want)
		}
	}
	for _, tc := range []struct {
		in       map[string]float64
		sentinel error
		name     string
	}{
		{map[string]float64{"flash": 0, "impact": 0}, ErrMissingFeature, "amount"},
		{map[string]float64{"amount": 1, "flash": 0, "impact": 0, "bogus": 1}, ErrUnknownFeature, "bogus"},
		{map[string]float64{"amount": -1, "flash": 0, "impact": 0}, ErrInvalidValue, "amount"},
		{map[string]float64{"amount": 1, "flash": 0.5, "impact": 0}, ErrInvalidValue, "flash"},
		{map[string]float64{"amount": 1, "flash": 0, "impact": math.NaN()}, ErrInvalidValue, "impact"},
	} {
		_, err := s.Vector(tc.in)
		if !errors.Is(err, tc.sentinel) || !contains(err.Error(), `"`+tc.name+`"`) {
			t.Errorf("Vector(%v) error %v: want %v naming %q", tc.in, err, tc.sentinel, tc.name)
		}
	}
	type tx struct {
		Amount uint64  `anomaly:"amount"`
		Flash  bool    `anomaly:"flash"`
		Impact float32 `anomaly:"impact"`
		Note   string
	}
	v2, err := s.FromStruct(&tx{Amount: 0, Flash: true, Impact: 0})
	if err != nil || !slices.Equal(v2, Vector{0, 1, 0, 1}) {
		t.Fatalf("FromStruct = %v, %v", v2, err)
	}
	type bad struct {
		X string `anomaly:"amount"`
	}
	if _, err := s.FromStruct(bad{}); err == nil {
		t.Error("string field accepted")
	}
	if _, err := s.FromStruct(struct {
		Amount int `anomaly:"amount"`
	}{}); !errors.Is(err, ErrMissingFeature) {
		t.Errorf("struct missing flash: %v", err)
	}
	if _, err := s.FromStruct((*tx)(nil)); err == nil {
		t.Error("nil pointer accepted")
	}
	if _, err := NewSchema(Feature{Name: "a"}, Feature{Name: "a"}); err == nil {
		t.Error("duplicate names accepted")
	}
	if _, err := NewSchema(Feature{Name: "a", Transform: 9}); err == nil {
		t.Error("unknown transform accepted")
	}
}

// TestScoreAndLearnEqualsScoreThenLearn checks that the fused path returns
// exactly what Score followed by Learn returns, through warm-up and many
// window swaps, and leaves identical state.
func TestScoreAndLearnEqualsScoreThenLearn(t *testing.T) {
	cfg := Config{Trees: 6, Depth: 7, Window: 24, RobustWindow: 30, Seed: 12}
	a, _ := NewModel(testSchema(4), cfg)
	b, _ := NewModel(testSchema(4), cfg)
	rng := rand.New(rand.NewPCG(12, 12))
	for i := 0; i < 400; i++ {
		v := gaussian(rng, 4)
		if i%29 == 0 {
			v[i%4] -= 7
		}
		ra, err := a.ScoreAndLearn(v)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.Score(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Learn(v); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ra, rb) {
			t.Fatalf("sample %d:\nfused %+v\nsplit %+v", i, ra, rb)
		}
	}
	sa, _ := a.MarshalBinary()
	sb, _ := b.MarshalBinary()
	if !slices.Equal(sa, sb) {
		t.Fatal("fused and split paths left different state")
	}
}
