package anomaly

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Limits on configuration values. They bound memory (a model holds
// Trees·(2^(Depth+1) − 1) nodes of 6 bytes) and the size of decoded state.
const (
	// MaxTrees is the largest Config.Trees.
	MaxTrees = 256
	// MaxDepth is the largest Config.Depth.
	MaxDepth = 20
	// MaxWindow is the largest Config.Window; masses are stored as uint16.
	MaxWindow = 1<<16 - 1
	// MaxRobustWindow is the largest Config.RobustWindow.
	MaxRobustWindow = 1 << 16
	// maxTotalNodes bounds Trees·(2^(Depth+1) − 1), i.e. 384 MiB of nodes.
	maxTotalNodes = 1 << 26
)

// pcgStream is the second PCG seed word; the first is Config.Seed.
const pcgStream = 0x9e3779b97f4a7c15

// Config configures a [Model]. Zero fields take the documented defaults
// (see [DefaultConfig]).
type Config struct {
	// Trees is the number of half-space trees T (default 25, as in the paper).
	Trees int
	// Depth is the depth D of every tree (default 15, as in the paper).
	Depth int
	// Window is ψ, the size of the reference and latest windows of the
	// half-space trees (default 250, as in the paper).
	Window int
	// SizeLimit is the reference mass below which HS-Tree scoring stops
	// descending (default max(1, ψ/10), the paper's 0.1·ψ).
	SizeLimit int
	// WarmUp is the number of samples learned before scores are produced
	// (default 2ψ). It must exceed ψ: the first ψ samples build the trees
	// and fill the first reference window, the rest seed the calibration.
	WarmUp int
	// RobustWindow is the sliding-window length of the exact median/MAD
	// estimates (default 1000).
	RobustWindow int
	// EWMAAlpha is the smoothing factor of the EWMA mean/variance used as
	// the scale fallback when the MAD is zero (default 0.01).
	EWMAAlpha float64
	// ScaleFloor is the smallest scale (in transformed units) a robust
	// z-score divides by (default 0.01).
	ScaleFloor float64
	// ZScale is c in the squashing map z ↦ z/(z+c) that turns z-scores
	// into [0,1) scores (default 3.5: z = 3.5 maps to 0.5).
	ZScale float64
	// TopK is the number of contributions returned per explanation list
	// (default 3).
	TopK int
	// Thresholds are the score levels of the severities (default 0.5, 0.7,
	// 0.85).
	Thresholds Thresholds
	// Seed seeds the model's PCG generator.
	Seed uint64
}

// Thresholds are the minimum [Result.Score] values for each severity. They
// must satisfy 0 < Info ≤ Low ≤ Medium ≤ 1. There is deliberately no
// threshold above medium: see [Severity].
type Thresholds struct {
	// Info is the minimum score of SeverityInfo.
	Info float64
	// Low is the minimum score of SeverityLow.
	Low float64
	// Medium is the minimum score of SeverityMedium.
	Medium float64
}

// DefaultConfig returns the default configuration with the given seed.
func DefaultConfig(seed uint64) Config {
	c := Config{Seed: seed}
	c.fill()
	return c
}

func (c *Config) fill() {
	if c.Trees == 0 {
		c.Trees = 25
	}
	if c.Depth == 0 {
		c.Depth = 15
	}
	if c.Window == 0 {
		c.Window = 250
	}
	if c.SizeLimit == 0 {
		c.SizeLimit = max(1, c.Window/10)
	}
	if c.WarmUp == 0 {
		c.WarmUp = 2 * c.Window
	}
	if c.RobustWindow == 0 {
		c.RobustWindow = 1000
	}
	if c.EWMAAlpha == 0 {
		c.EWMAAlpha = 0.01
	}
	if c.ScaleFloor == 0 {
		c.ScaleFloor = 0.01
	}
	if c.ZScale == 0 {
		c.ZScale = 3.5
	}
	if c.TopK == 0 {
		c.TopK = 3
	}
	if c.Thresholds == (Thresholds{}) {
		c.Thresholds = Thresholds{Info: 0.5, Low: 0.7, Medium: 0.85}
	}
}

func (c *Config) validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("anomaly: invalid config: "+format, a...)
	}
	finitePos := func(x float64) bool { return x > 0 && !math.IsInf(x, 1) }
	switch {
	case c.Trees < 1 || c.Trees > MaxTrees:
		return bad("Trees = %d, want 1…%d", c.Trees, MaxTrees)
	case c.Depth < 1 || c.Depth > MaxDepth:
		return bad("Depth = %d, want 1…%d", c.Depth, MaxDepth)
	case c.Trees*numNodes(c.Depth) > maxTotalNodes:
		return bad("Trees·(2^(Depth+1)−1) = %d nodes exceeds %d", c.Trees*numNodes(c.Depth), maxTotalNodes)
	case c.Window < 2 || c.Window > MaxWindow:
		return bad("Window = %d, want 2…%d", c.Window, MaxWindow)
	case c.SizeLimit < 1 || c.SizeLimit > c.Window:
		return bad("SizeLimit = %d, want 1…Window", c.SizeLimit)
	case c.WarmUp <= c.Window || c.WarmUp > math.MaxInt32:
		return bad("WarmUp = %d, want > Window (%d)", c.WarmUp, c.Window)
	case c.RobustWindow < 1 || c.RobustWindow > MaxRobustWindow:
		return bad("RobustWindow = %d, want 1…%d", c.RobustWindow, MaxRobustWindow)
	case !(c.EWMAAlpha > 0 && c.EWMAAlpha <= 1):
		return bad("EWMAAlpha = %v, want (0, 1]", c.EWMAAlpha)
	case !finitePos(c.ScaleFloor):
		return bad("ScaleFloor = %v, want finite > 0", c.ScaleFloor)
	case !finitePos(c.ZScale):
		return bad("ZScale = %v, want finite > 0", c.ZScale)
	case c.TopK < 1 || c.TopK > MaxFeatures:
		return bad("TopK = %d, want 1…%d", c.TopK, MaxFeatures)
	}
	t := c.Thresholds
	if !(0 < t.Info && t.Info <= t.Low && t.Low <= t.Medium && t.Medium <= 1) {
		return bad("Thresholds %+v, want 0 < Info ≤ Low ≤ Medium ≤ 1", t)
	}
	return nil
}

// Severity grades an anomaly score. The scale stops at SeverityMedium on
// purpose: anomaly scores rank and enrich alerts raised by deterministic
// detectors and never page on their own, so no score, however extreme, is
// reported above medium.
type Severity uint8

// The severities, in increasing order.
const (
	// SeverityNone means the score is below every threshold.
	SeverityNone Severity = iota
	// SeverityInfo means Score ≥ Thresholds.Info.
	SeverityInfo
	// SeverityLow means Score ≥ Thresholds.Low.
	SeverityLow
	// SeverityMedium means Score ≥ Thresholds.Medium; it is the cap.
	SeverityMedium
)

// MaxSeverity is the highest severity a [Result] can carry.
const MaxSeverity = SeverityMedium

// String returns the severity's lower-case name.
func (s Severity) String() string {
	switch s {
	case SeverityNone:
		return "none"
	case SeverityInfo:
		return "info"
	case SeverityLow:
		return "low"
	case SeverityMedium:
		return "medium"
	}
	return fmt.Sprintf("Severity(%d)", uint8(s))
}

// Direction tells whether a feature's value is above or below its baseline.
type Direction string

// The directions.
const (
	// High means the value is above the baseline (or equal to it).
	High Direction = "high"
	// Low means the value is below the baseline.
	Low Direction = "low"
)

// Contribution explains how much one feature contributed to a score.
type Contribution struct {
	// Feature is the feature's name.
	Feature string
	// Index is the feature's position in the schema.
	Index int
	// Value is the sample's value in raw units (the transform inverted).
	Value float64
	// Baseline is the sliding-window median in raw units.
	Baseline float64
	// Direction compares Value with Baseline.
	Direction Direction
	// Score ranks the contribution within its list: the combined
	// contribution in Result.Top, |z| in Result.TopRobustZ and the share
	// of HS-Tree credit in Result.TopHST.
	Score float64
	// Z is the feature's signed robust z-score.
	Z float64
	// HSTShare is the feature's share (0…1) of the HS-Tree path credit.
	HSTShare float64
}

// Result is the outcome of scoring one sample.
type Result struct {
	// Warmup is true while the model has learned fewer than Config.WarmUp
	// samples; all other fields are then zero.
	Warmup bool
	// Score = max(HST, RobustZ), in [0, 1); higher is more anomalous.
	Score float64
	// HST is the normalised half-space-tree score: squash(z_HST), where
	// z_HST is the robust z-score of the sample's log-mass below the
	// log-masses of recently learned samples (see Model.Score).
	HST float64
	// RobustZ is squash(max_f |z_f|) over the per-feature robust z-scores.
	RobustZ float64
	// Mass is the raw HS-Tree ensemble score S(x) = Σ_t r·2^depth of the
	// paper; lower is more anomalous.
	Mass float64
	// HSTZ is z_HST, the robust z-score of log2(1 + S/T), sign flipped so
	// that positive means less mass than usual.
	HSTZ float64
	// MaxZ is the largest |z_f|.
	MaxZ float64
	// Severity grades Score against Config.Thresholds; at most SeverityMedium.
	Severity Severity
	// Top lists the TopK features by combined contribution
	// max(squash(|z_f|), HSTShare_f·HST), largest first, omitting zeros.
	Top []Contribution
	// TopRobustZ lists the TopK features by |z_f|, omitting zeros.
	TopRobustZ []Contribution
	// TopHST lists the TopK features by HS-Tree credit share, omitting zeros.
	TopHST []Contribution
}

// Model is a streaming anomaly detector for one watched protocol. Use
// [NewModel]; feed every sample to [Model.ScoreAndLearn] (or Score, then
// Learn). A Model is not safe for concurrent use.
type Model struct {
	cfg    Config
	schema *Schema
	pcg    *rand.PCG
	n      uint64    // samples learned
	buf    []float64 // first ψ samples (row-major), until the forest is built
	forest *hsForest
	feats  []robustStat
	calib  robustStat // log-mass log2(1 + S/T) of learned streaming samples

	// scratch
	xn, lo, hi, attrib, z, med []float64
}

// NewModel returns an empty model for the schema.
func NewModel(schema *Schema, cfg Config) (*Model, error) {
	if schema == nil {
		return nil, errors.New("anomaly: nil schema")
	}
	cfg.fill()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	m := &Model{
		cfg:    cfg,
		schema: schema,
		pcg:    rand.NewPCG(cfg.Seed, pcgStream),
		feats:  make([]robustStat, schema.Len()),
		calib:  newRobustStat(cfg.RobustWindow),
	}
	for i := range m.feats {
		m.feats[i] = newRobustStat(cfg.RobustWindow)
	}
	m.initScratch()
	return m, nil
}

func (m *Model) initScratch() {
	d := m.schema.Len()
	s := make([]float64, 6*d)
	m.xn, m.lo, m.hi, m.attrib, m.z, m.med = s[:d:d], s[d:2*d:2*d], s[2*d:3*d:3*d], s[3*d:4*d:4*d], s[4*d:5*d:5*d], s[5*d:]
}

// Config returns the model's configuration with defaults filled in.
func (m *Model) Config() Config { return m.cfg }

// Schema returns the model's schema.
func (m *Model) Schema() *Schema { return m.schema }

// Samples returns the number of samples learned so far.
func (m *Model) Samples() uint64 { return m.n }

// Warm reports whether the warm-up is over and Score returns scores.
func (m *Model) Warm() bool { return m.n >= uint64(m.cfg.WarmUp) }

// Learn adds a sample to the model. The first Window samples are buffered;
// when the buffer is full the trees are built (their normalisation comes
// from those samples) and the buffer becomes the first reference window.
// Invalid vectors are rejected and leave the model unchanged.
func (m *Model) Learn(v Vector) error {
	if err := m.schema.check(v); err != nil {
		return err
	}
	m.learn(v)
	return nil
}

func (m *Model) learn(v Vector) {
	for i, x := range v {
		m.feats[i].push(x, m.cfg.EWMAAlpha)
	}
	if m.forest == nil {
		m.buf = append(m.buf, v...)
		if len(m.buf) == m.cfg.Window*len(v) {
			m.forest = newHSForest(m.buf, len(v), m.cfg.Trees, m.cfg.Depth, m.cfg.Window, m.cfg.SizeLimit, rand.New(m.pcg))
			m.buf = nil
		}
	} else {
		m.forest.normalize(v, m.xn)
		if s, ok := m.forest.learn(m.xn, nil, m.lo, m.hi); ok {
			m.calib.push(m.logMass(s), m.cfg.EWMAAlpha)
		}
	}
	m.n++
}

// logMass maps the ensemble score to log2(1 + S/T), the per-tree mean
// mass on a log scale, which is what the HS-Tree normalisation calibrates.
func (m *Model) logMass(s float64) float64 { return math.Log2(1 + s/float64(m.cfg.Trees)) }

// ScoreAndLearn scores v against the current state and then learns it, so
// that a sample never contributes to its own score. It returns exactly what
// Score followed by Learn would, but walks each tree only once.
func (m *Model) ScoreAndLearn(v Vector) (Result, error) {
	if err := m.schema.check(v); err != nil {
		return Result{}, err
	}
	if !m.Warm() {
		m.learn(v)
		return Result{Warmup: true}, nil
	}
	res := m.scoreRobust(v)
	clear(m.attrib)
	m.forest.normalize(v, m.xn)
	s, _ := m.forest.learn(m.xn, m.attrib, m.lo, m.hi) // streaming: ok is true
	ell := m.logMass(s)
	m.finish(v, s, ell, &res)
	for i, x := range v {
		m.feats[i].push(x, m.cfg.EWMAAlpha)
	}
	m.calib.push(ell, m.cfg.EWMAAlpha)
	m.n++
	return res, nil
}

// Score scores v without learning it. During warm-up it returns a result
// with Warmup set and nothing else.
//
// Scores. For every feature f, z_f is its robust z-score against the
// sliding window (see robustStat.z) and RobustZ = squash(max_f |z_f|) with
// squash(z) = z/(z + ZScale). For the trees, ℓ = log2(1 + S/T) where S is
// the paper's ensemble mass score; the same robust z machinery over the
// ℓ of the last RobustWindow learned samples gives z_HST = −z(ℓ) (less mass
// than usual is positive) and HST = squash(z_HST). Both components are
// thus on one scale ("robust standard deviations from typical traffic")
// and Score = max(HST, RobustZ). The map is monotone, so for a fixed model
// state ranking by HST is ranking by the paper's score S.
func (m *Model) Score(v Vector) (Result, error) {
	if err := m.schema.check(v); err != nil {
		return Result{}, err
	}
	if !m.Warm() {
		return Result{Warmup: true}, nil
	}
	res := m.scoreRobust(v)
	clear(m.attrib)
	m.forest.normalize(v, m.xn)
	s := m.forest.score(m.xn, m.attrib, m.lo, m.hi)
	m.finish(v, s, m.logMass(s), &res)
	return res, nil
}

// scoreRobust computes the per-feature z-scores and medians into m.z and
// m.med and returns a result with MaxZ and RobustZ set.
func (m *Model) scoreRobust(v Vector) Result {
	var res Result
	for i, x := range v {
		m.z[i], m.med[i] = m.feats[i].z(x, m.cfg.ScaleFloor)
		res.MaxZ = max(res.MaxZ, math.Abs(m.z[i]))
	}
	res.RobustZ = squash(res.MaxZ, m.cfg.ZScale)
	return res
}

// finish completes res from the ensemble score s (with path credits in
// m.attrib) and its log-mass ell.
func (m *Model) finish(v Vector, s, ell float64, res *Result) {
	c := m.cfg
	res.Mass = s
	zl, _ := m.calib.z(ell, c.ScaleFloor)
	res.HSTZ = -zl + 0
	res.HST = squash(res.HSTZ, c.ZScale)

	res.Score = max(res.HST, res.RobustZ)
	switch t := c.Thresholds; {
	case res.Score >= t.Medium:
		res.Severity = SeverityMedium
	case res.Score >= t.Low:
		res.Severity = SeverityLow
	case res.Score >= t.Info:
		res.Severity = SeverityInfo
	}
	m.explain(v, res)
}

// explain fills the three contribution lists of res. It ranks feature
// indices by each key with a partial insertion sort (k is small) and only
// materialises the selected contributions, in one allocation.
func (m *Model) explain(v Vector, res *Result) {
	var credit float64
	for _, a := range m.attrib {
		credit += a
	}
	share := func(i int) float64 {
		if credit > 0 {
			return m.attrib[i] / credit
		}
		return 0
	}
	k := min(m.cfg.TopK, len(v))
	backing := make([]Contribution, 0, 3*k)
	idx := make([]int, k)
	keys := make([]float64, k)
	list := func(key func(i int) float64) []Contribution {
		n := 0
		for i := range v {
			kv := key(i)
			if !(kv > 0) {
				continue
			}
			// Insert i into the top list, keeping it sorted by key
			// descending; ties keep schema order.
			j := n
			if n < k {
				n++
			} else if kv <= keys[k-1] {
				continue
			} else {
				j = k - 1
			}
			for j > 0 && keys[j-1] < kv {
				keys[j], idx[j] = keys[j-1], idx[j-1]
				j--
			}
			keys[j], idx[j] = kv, i
		}
		start := len(backing)
		for j := 0; j < n; j++ {
			i := idx[j]
			f := m.schema.features[i]
			c := Contribution{
				Feature:   f.Name,
				Index:     i,
				Value:     f.Transform.invert(v[i]),
				Baseline:  f.Transform.invert(m.med[i]),
				Direction: High,
				Score:     keys[j],
				Z:         m.z[i],
				HSTShare:  share(i),
			}
			if v[i] < m.med[i] {
				c.Direction = Low
			}
			backing = append(backing, c)
		}
		return backing[start:len(backing):len(backing)]
	}
	c := m.cfg.ZScale
	res.Top = list(func(i int) float64 { return max(squash(math.Abs(m.z[i]), c), share(i)*res.HST) })
	res.TopRobustZ = list(func(i int) float64 { return math.Abs(m.z[i]) })
	res.TopHST = list(share)
}
