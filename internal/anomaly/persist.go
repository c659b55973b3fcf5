package anomaly

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
)

// Binary state format (little-endian), version 1:
//
//	magic "AEGISANM" | version u16 | body | crc32-IEEE(magic … body) u32
//
// body:
//
//	config   Trees, Depth, Window, SizeLimit, WarmUp, RobustWindow u32;
//	         EWMAAlpha, ScaleFloor, ZScale f64; TopK u32;
//	         Thresholds 3×f64; Seed u64
//	schema   n u32, then n × (name u16-length-prefixed, transform u8,
//	         optional u8, default f64)
//	rng      u16-length-prefixed PCG MarshalBinary
//	n        u64 samples learned
//	buf      u32 row count, rows × dim × f64
//	forest   u8 present; if 1: filled u32, count u32, lo dim×f64,
//	         span dim×f64, then per tree: wlo dim×f64, whi dim×f64,
//	         split features of internal nodes (2^D − 1)×u16, refNodes (u32 count, (node u32, r u32)…),
//	         latNodes (u32 count, (node u32, l u32)…)
//	robust   dim+1 stats (features, then log-mass calibration), each:
//	         ring u32 count, head u32, ring values f64…, EWMA mean f64,
//	         variance f64, n u64
//
// Floats are stored as their IEEE-754 bits, so restored state is
// bit-identical. Only non-zero masses are stored. Decoding checks every
// structural invariant the code relies on (and more: the mass profiles
// must be consistent trees), so corrupted state yields an error, never a
// panic or an inconsistent model.

const (
	stateMagic   = "AEGISANM"
	stateVersion = 1
)

// ErrCorruptState is wrapped by every error UnmarshalBinary returns for
// malformed input.
var ErrCorruptState = errors.New("anomaly: corrupt model state")

type encoder struct{ b []byte }

func (e *encoder) u8(v uint8)    { e.b = append(e.b, v) }
func (e *encoder) u16(v uint16)  { e.b = binary.LittleEndian.AppendUint16(e.b, v) }
func (e *encoder) u32(v uint32)  { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64)  { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) f64(v float64) { e.u64(math.Float64bits(v)) }
func (e *encoder) int(v int)     { e.u32(uint32(v)) }
func (e *encoder) bytes(p []byte) {
	e.u16(uint16(len(p)))
	e.b = append(e.b, p...)
}
func (e *encoder) f64s(v []float64) {
	for _, x := range v {
		e.f64(x)
	}
}

// MarshalBinary encodes the model's complete state.
func (m *Model) MarshalBinary() ([]byte, error) {
	e := &encoder{b: make([]byte, 0, 4096)}
	e.b = append(e.b, stateMagic...)
	e.u16(stateVersion)
	c := m.cfg
	for _, v := range []int{c.Trees, c.Depth, c.Window, c.SizeLimit, c.WarmUp, c.RobustWindow} {
		e.int(v)
	}
	e.f64(c.EWMAAlpha)
	e.f64(c.ScaleFloor)
	e.f64(c.ZScale)
	e.int(c.TopK)
	e.f64(c.Thresholds.Info)
	e.f64(c.Thresholds.Low)
	e.f64(c.Thresholds.Medium)
	e.u64(c.Seed)

	e.int(m.schema.Len())
	for _, f := range m.schema.features {
		e.bytes([]byte(f.Name))
		e.u8(uint8(f.Transform))
		if f.Optional {
			e.u8(1)
		} else {
			e.u8(0)
		}
		e.f64(f.Default)
	}
	rng, err := m.pcg.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("anomaly: marshal rng: %w", err)
	}
	e.bytes(rng)
	e.u64(m.n)
	d := m.schema.Len()
	e.int(len(m.buf) / d)
	e.f64s(m.buf)
	if f := m.forest; f == nil {
		e.u8(0)
	} else {
		e.u8(1)
		e.int(f.filled)
		e.int(f.count)
		e.f64s(f.lo)
		e.f64s(f.span)
		for t := range f.trees {
			tr := &f.trees[t]
			e.f64s(tr.wlo)
			e.f64s(tr.whi)
			for i := 0; i < len(tr.nodes)/2; i++ { // internal nodes
				e.u16(tr.nodes[i].q)
			}
			for off, nodes := range [2][]uint32{tr.refNodes, tr.latNodes} {
				e.int(len(nodes))
				for _, i := range nodes {
					e.u32(i)
					e.u32(uint32(tr.nodes[i].m[off]))
				}
			}
		}
	}
	for i := range m.feats {
		encodeStat(e, &m.feats[i])
	}
	encodeStat(e, &m.calib)
	e.u32(crc32.ChecksumIEEE(e.b))
	return e.b, nil
}

func encodeStat(e *encoder, r *robustStat) {
	e.int(len(r.win.ring))
	e.int(r.win.head)
	e.f64s(r.win.ring)
	e.f64(r.ew.mean)
	e.f64(r.ew.variance)
	e.u64(r.ew.n)
}

// decoder reads little-endian values; after the first failure every read
// returns zero and err holds the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrCorruptState}, a...)...)
	}
}

func (d *decoder) take(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.fail("truncated reading %s (need %d bytes, have %d)", what, n, len(d.b))
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) u8(what string) uint8 {
	if p := d.take(1, what); p != nil {
		return p[0]
	}
	return 0
}

func (d *decoder) u16(what string) uint16 {
	if p := d.take(2, what); p != nil {
		return binary.LittleEndian.Uint16(p)
	}
	return 0
}

func (d *decoder) u32(what string) uint32 {
	if p := d.take(4, what); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (d *decoder) u64(what string) uint64 {
	if p := d.take(8, what); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

// int reads a u32 that must be ≤ limit.
func (d *decoder) int(what string, limit int) int {
	v := d.u32(what)
	if d.err == nil && uint64(v) > uint64(limit) {
		d.fail("%s = %d exceeds %d", what, v, limit)
		return 0
	}
	return int(v)
}

// f64 reads a float that must be finite.
func (d *decoder) f64(what string) float64 {
	v := math.Float64frombits(d.u64(what))
	if d.err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		d.fail("%s is not finite", what)
		return 0
	}
	return v
}

// f64s reads n finite floats of magnitude ≤ MaxAbsValue, checking the
// input length before allocating.
func (d *decoder) f64s(n int, what string) []float64 {
	if d.err != nil {
		return nil
	}
	if n > len(d.b)/8 {
		d.fail("truncated reading %s (%d values)", what, n)
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = d.f64(what)
		if d.err == nil && math.Abs(out[i]) > MaxAbsValue {
			d.fail("%s: magnitude exceeds %g", what, MaxAbsValue)
		}
	}
	return out
}

// UnmarshalBinary replaces the model's state with the decoded state. On
// error (wrapping [ErrCorruptState] or describing an invalid configuration
// or schema) the model is left unchanged.
func (m *Model) UnmarshalBinary(data []byte) error {
	nm, err := decodeModel(data)
	if err != nil {
		return err
	}
	*m = *nm
	return nil
}

// RestoreModel decodes a model saved with [Model.MarshalBinary].
func RestoreModel(data []byte) (*Model, error) { return decodeModel(data) }

func decodeModel(data []byte) (*Model, error) {
	if len(data) < len(stateMagic)+2+4 {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrCorruptState, len(data))
	}
	if string(data[:len(stateMagic)]) != stateMagic {
		return nil, fmt.Errorf("%w: bad magic", ErrCorruptState)
	}
	if v := binary.LittleEndian.Uint16(data[len(stateMagic):]); v != stateVersion {
		return nil, fmt.Errorf("%w: unsupported version %d (want %d)", ErrCorruptState, v, stateVersion)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorruptState)
	}
	d := &decoder{b: body[len(stateMagic)+2:]}
	m, err := decodeBody(d)
	if err != nil {
		return nil, err
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return nil, d.err
	}
	return m, nil
}

func decodeBody(d *decoder) (*Model, error) {
	var c Config
	c.Trees = d.int("Trees", MaxTrees)
	c.Depth = d.int("Depth", MaxDepth)
	c.Window = d.int("Window", MaxWindow)
	c.SizeLimit = d.int("SizeLimit", MaxWindow)
	c.WarmUp = d.int("WarmUp", math.MaxInt32)
	c.RobustWindow = d.int("RobustWindow", MaxRobustWindow)
	c.EWMAAlpha = d.f64("EWMAAlpha")
	c.ScaleFloor = d.f64("ScaleFloor")
	c.ZScale = d.f64("ZScale")
	c.TopK = d.int("TopK", MaxFeatures)
	c.Thresholds.Info = d.f64("Thresholds.Info")
	c.Thresholds.Low = d.f64("Thresholds.Low")
	c.Thresholds.Medium = d.f64("Thresholds.Medium")
	c.Seed = d.u64("Seed")
	if d.err != nil {
		return nil, d.err
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptState, err)
	}

	nf := d.int("feature count", MaxFeatures)
	feats := make([]Feature, 0, min(nf, len(d.b)/12))
	for i := 0; i < nf && d.err == nil; i++ {
		var f Feature
		name := d.take(int(d.u16("feature name length")), "feature name")
		f.Name = string(name)
		f.Transform = Transform(d.u8("transform"))
		switch d.u8("optional") {
		case 0:
		case 1:
			f.Optional = true
		default:
			d.fail("feature %q: bad optional flag", f.Name)
		}
		f.Default = d.f64("default")
		feats = append(feats, f)
	}
	if d.err != nil {
		return nil, d.err
	}
	schema, err := NewSchema(feats...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptState, err)
	}
	m, err := NewModel(schema, c)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorruptState, err)
	}
	dim := schema.Len()

	rng := d.take(int(d.u16("rng length")), "rng state")
	if d.err != nil {
		return nil, d.err
	}
	if err := m.pcg.UnmarshalBinary(rng); err != nil {
		return nil, fmt.Errorf("%w: rng: %v", ErrCorruptState, err)
	}
	m.n = d.u64("sample count")
	rows := d.int("buffered rows", c.Window)
	m.buf = d.f64s(rows*dim, "buffered samples")
	present := d.u8("forest flag")
	if d.err != nil {
		return nil, d.err
	}
	switch {
	case present > 1:
		d.fail("bad forest flag %d", present)
	case present == 0 && (m.n >= uint64(c.Window) || uint64(rows) != m.n):
		d.fail("no forest after %d samples with %d buffered", m.n, rows)
	case present == 1 && (m.n < uint64(c.Window) || rows != 0):
		d.fail("forest present after %d samples with %d buffered", m.n, rows)
	}
	if d.err != nil {
		return nil, d.err
	}
	if rows == 0 {
		m.buf = nil
	} else {
		if err := checkRows(schema, m.buf); err != nil {
			return nil, fmt.Errorf("%w: buffered sample: %v", ErrCorruptState, err)
		}
	}
	if present == 1 {
		m.forest = decodeForest(d, c, dim)
	}
	for i := range m.feats {
		f := schema.features[i]
		decodeStat(d, &m.feats[i], c.RobustWindow, fmt.Sprintf("feature %q", f.Name))
		for _, x := range m.feats[i].win.ring {
			if d.err == nil && ((f.Transform == Bool && x != 0 && x != 1) || (f.Transform == Log1p && x < 0)) {
				d.fail("feature %q: window value %v outside the %v domain", f.Name, x, f.Transform)
			}
		}
	}
	decodeStat(d, &m.calib, c.RobustWindow, "calibration")
	if d.err != nil {
		return nil, d.err
	}
	// Cross-checks between components.
	wantWin := min(m.n, uint64(c.RobustWindow))
	for i := range m.feats {
		if uint64(m.feats[i].win.len()) != wantWin || m.feats[i].ew.n != m.n {
			return nil, fmt.Errorf("%w: feature %q statistics do not match %d samples", ErrCorruptState, schema.features[i].Name, m.n)
		}
	}
	streamed := uint64(0)
	if m.n > uint64(c.Window) {
		streamed = m.n - uint64(c.Window)
	}
	if uint64(m.calib.win.len()) != min(streamed, uint64(c.RobustWindow)) || m.calib.ew.n != streamed {
		return nil, fmt.Errorf("%w: calibration window does not match %d samples", ErrCorruptState, m.n)
	}
	if f := m.forest; f != nil && uint64(f.count) != streamed%uint64(c.Window) {
		return nil, fmt.Errorf("%w: latest window count %d does not match %d samples", ErrCorruptState, f.count, m.n)
	}
	return m, nil
}

func checkRows(s *Schema, buf []float64) error {
	d := s.Len()
	for i := 0; i+d <= len(buf); i += d {
		if err := s.check(buf[i : i+d]); err != nil {
			return err
		}
	}
	return nil
}

func decodeForest(d *decoder, c Config, dim int) *hsForest {
	f := &hsForest{dim: dim, depth: c.Depth, psi: c.Window, sizeLimit: uint16(c.SizeLimit)}
	f.filled = d.int("filled", c.Window)
	f.count = d.int("count", c.Window-1)
	if d.err == nil && f.filled != c.Window {
		d.fail("forest filled %d of %d", f.filled, c.Window)
	}
	f.lo = d.f64s(dim, "normalisation min")
	f.span = d.f64s(dim, "normalisation span")
	for _, s := range f.span {
		if d.err == nil && !(s > 0) {
			d.fail("non-positive normalisation span")
		}
	}
	nInternal := 1<<c.Depth - 1
	nNodes := numNodes(c.Depth)
	for t := 0; t < c.Trees && d.err == nil; t++ {
		// Check the fixed-size part is present before allocating masses.
		if len(d.b) < 16*dim+2*nInternal {
			d.fail("truncated tree %d", t)
			break
		}
		tr := hsTree{}
		tr.wlo = d.f64s(dim, "work space")
		tr.whi = d.f64s(dim, "work space")
		for q := 0; q < dim && d.err == nil; q++ {
			if !(tr.wlo[q] < tr.whi[q]) || tr.wlo[q] > 0 || tr.whi[q] < 1 {
				d.fail("tree %d: bad work space [%v, %v]", t, tr.wlo[q], tr.whi[q])
			}
		}
		tr.nodes = make([]hsNode, nNodes)
		for i := 0; i < nInternal; i++ {
			q := d.u16("split feature")
			if d.err == nil && int(q) >= dim {
				d.fail("tree %d: split feature %d out of range", t, q)
			}
			tr.nodes[i].q = q
		}
		if d.err != nil {
			break
		}
		for off := 0; off < 2; off++ {
			n := d.int("node count", nNodes)
			if d.err == nil && n > len(d.b)/8 {
				d.fail("truncated node list")
			}
			nodes := make([]uint32, 0, n)
			for j := 0; j < n && d.err == nil; j++ {
				i := d.int("node", nNodes-1)
				v := d.int("mass", c.Window)
				if d.err != nil {
					break
				}
				if v == 0 || tr.nodes[i].m[off] != 0 {
					d.fail("tree %d: zero or duplicate mass entry for node %d", t, i)
					break
				}
				tr.nodes[i].m[off] = uint16(v)
				nodes = append(nodes, uint32(i))
			}
			if off == 0 {
				tr.refNodes = nodes
			} else {
				tr.latNodes = nodes
			}
		}
		if d.err != nil {
			break
		}
		// Every sample adds one to each node on a root-to-leaf path, so the
		// root holds the window size and each internal node's mass is the
		// sum of its children's.
		for off, root := range [2]int{c.Window, f.count} {
			if int(tr.nodes[0].m[off]) != root {
				d.fail("tree %d: root mass %d, want %d", t, tr.nodes[0].m[off], root)
				break
			}
			for i := 0; i < nInternal; i++ {
				if int(tr.nodes[i].m[off]) != int(tr.nodes[2*i+1].m[off])+int(tr.nodes[2*i+2].m[off]) {
					d.fail("tree %d: node %d mass is not the sum of its children", t, i)
					break
				}
			}
		}
		f.trees = append(f.trees, tr)
	}
	if d.err != nil {
		return nil
	}
	f.initTables()
	return f
}

func decodeStat(d *decoder, r *robustStat, capacity int, what string) {
	n := d.int(what+" window length", capacity)
	head := d.int(what+" window head", capacity)
	ring := d.f64s(n, what+" window")
	mean := d.f64(what + " EWMA mean")
	variance := d.f64(what + " EWMA variance")
	cnt := d.u64(what + " EWMA count")
	if d.err != nil {
		return
	}
	if (n < capacity && head != 0) || (n == capacity && head >= capacity) {
		d.fail("%s: window head %d invalid for %d of %d values", what, head, n, capacity)
		return
	}
	if variance < 0 || math.Abs(mean) > MaxAbsValue {
		d.fail("%s: invalid EWMA state", what)
		return
	}
	for i := range ring {
		ring[i] += 0
	}
	r.win.ring = ring
	r.win.head = head
	r.win.sorted = slices.Clone(ring)
	slices.Sort(r.win.sorted)
	r.ew = ewma{mean: mean, variance: variance, n: cnt}
}
