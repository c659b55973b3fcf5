package anomaly

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestSaveRestoreResumesBitIdentically saves a model at many points of its
// life (buffering, just after the trees are built, warm-up, at and around
// window swaps), restores it and checks that the restored model produces
// exactly the same results and state as the uninterrupted one.
func TestSaveRestoreResumesBitIdentically(t *testing.T) {
	cfg := Config{Trees: 8, Depth: 8, Window: 32, WarmUp: 50, RobustWindow: 40, Seed: 99}
	const dim = 5
	for _, cut := range []int{0, 1, 31, 32, 33, 49, 50, 63, 64, 65, 96, 97, 200} {
		orig, err := NewModel(testSchema(dim), cfg)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(uint64(cut), 5))
		next := func(i int) Vector {
			v := gaussian(rng, dim)
			if i%37 == 36 {
				v[i%dim] += 9
			}
			return v
		}
		for i := 0; i < cut; i++ {
			if _, err := orig.ScoreAndLearn(next(i)); err != nil {
				t.Fatal(err)
			}
		}
		state, err := orig.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var restored Model
		if err := restored.UnmarshalBinary(state); err != nil {
			t.Fatalf("cut %d: %v", cut, err)
		}
		again, _ := restored.MarshalBinary()
		if !bytes.Equal(state, again) {
			t.Fatalf("cut %d: re-encoded state differs", cut)
		}
		for i := cut; i < cut+150; i++ {
			v := next(i)
			a, err1 := orig.ScoreAndLearn(v)
			b, err2 := restored.ScoreAndLearn(v)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("cut %d, sample %d: results differ:\n%+v\n%+v", cut, i, a, b)
			}
		}
		s1, _ := orig.MarshalBinary()
		s2, _ := restored.MarshalBinary()
		if !bytes.Equal(s1, s2) {
			t.Fatalf("cut %d: final states differ", cut)
		}
	}
}

// TestUnmarshalRejectsDamage truncates and bit-flips a valid state; every
// damaged copy must fail with ErrCorruptState, never panic, and leave the
// target model untouched.
func TestUnmarshalRejectsDamage(t *testing.T) {
	m := mustWarm(t, 3, Config{Trees: 2, Depth: 3, Window: 8, RobustWindow: 10, Seed: 1}, 30)
	state, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	target := mustWarm(t, 3, Config{Trees: 2, Depth: 3, Window: 8, RobustWindow: 10, Seed: 2}, 20)
	before, _ := target.MarshalBinary()
	for n := 0; n < len(state); n++ {
		if err := target.UnmarshalBinary(state[:n]); !errors.Is(err, ErrCorruptState) {
			t.Fatalf("truncated to %d bytes: err = %v", n, err)
		}
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for i := 0; i < 2000; i++ {
		bad := bytes.Clone(state)
		bad[rng.IntN(len(bad))] ^= 1 << rng.IntN(8)
		if err := target.UnmarshalBinary(bad); !errors.Is(err, ErrCorruptState) {
			t.Fatalf("bit flip accepted: %v", err)
		}
		// The same damage with a valid checksum must still be caught by
		// the structural checks, or decode to a usable model.
		fixed := withCRC(bad[:len(bad)-4])
		var mm Model
		if err := mm.UnmarshalBinary(fixed); err == nil {
			exercise(t, &mm)
		} else if !errors.Is(err, ErrCorruptState) {
			t.Fatalf("error does not wrap ErrCorruptState: %v", err)
		}
	}
	after, _ := target.MarshalBinary()
	if !bytes.Equal(before, after) {
		t.Fatal("failed UnmarshalBinary modified the model")
	}
	if err := target.UnmarshalBinary(append(bytes.Clone(state[:len(state)-4]), 0, 0, 0, 0, 0)); err == nil {
		t.Fatal("trailing garbage accepted")
	}
	if err := target.UnmarshalBinary(withCRC(append(bytes.Clone(state[:len(state)-4]), 1))); !errors.Is(err, ErrCorruptState) {
		t.Fatalf("trailing byte with valid checksum: %v", err)
	}
}

// withCRC appends the checksum to a body.
func withCRC(body []byte) []byte {
	return binary.LittleEndian.AppendUint32(bytes.Clone(body), crc32.ChecksumIEEE(body))
}

// exercise runs a decoded model through every operation; it must not panic.
func exercise(t testing.TB, m *Model) {
	d := m.Schema().Len()
	v := make(Vector, d)
	for i := 0; i < 3; i++ {
		for q := range v {
			switch m.schema.features[q].Transform {
			case Bool:
				v[q] = float64(i % 2)
			case Log1p:
				v[q] = float64(i)
			default:
				v[q] = float64(i) - 1
			}
		}
		if _, err := m.ScoreAndLearn(v); err != nil {
			t.Fatalf("decoded model rejects %v: %v", v, err)
		}
	}
	state, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RestoreModel(state); err != nil {
		t.Fatalf("decoded model does not round-trip: %v", err)
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, n := range []int{0, 3, 8, 9, 20, 40} {
		m := mustWarm(f, 2, Config{Trees: 2, Depth: 3, Window: 8, RobustWindow: 6, Seed: uint64(n)}, n)
		state, err := m.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(state)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Raw input, then the same input with a correct checksum so that
		// the fuzzer explores the decoder beyond the CRC.
		inputs := [][]byte{data}
		if len(data) >= 4 {
			inputs = append(inputs, withCRC(data[:len(data)-4]))
		}
		for _, in := range inputs {
			m, err := RestoreModel(in)
			if err != nil {
				if !errors.Is(err, ErrCorruptState) {
					t.Fatalf("error does not wrap ErrCorruptState: %v", err)
				}
				continue
			}
			exercise(t, m)
		}
	})
}
