package anomaly

import (
	"errors"
	"fmt"
	"math"
	"reflect"
)

// MaxFeatures is the largest number of features a [Schema] may hold.
const MaxFeatures = 4096

// MaxAbsValue bounds the magnitude of every transformed feature value. It
// keeps all downstream arithmetic (differences, squares, midpoints) finite;
// values beyond it are rejected with [ErrInvalidValue].
const MaxAbsValue = 1e100

// maxNameLen bounds feature names so that they fit the binary encoding.
const maxNameLen = 1024

// Errors returned when building or checking vectors. They are wrapped with
// the offending feature's name; test with [errors.Is].
var (
	// ErrMissingFeature reports a required feature absent from the input.
	ErrMissingFeature = errors.New("anomaly: missing feature")
	// ErrUnknownFeature reports an input key that is not in the schema.
	ErrUnknownFeature = errors.New("anomaly: unknown feature")
	// ErrInvalidValue reports a NaN, infinite, out-of-domain or too large value.
	ErrInvalidValue = errors.New("anomaly: invalid feature value")
	// ErrDimension reports a vector whose length does not match the schema.
	ErrDimension = errors.New("anomaly: vector length does not match schema")
)

// Transform maps a raw feature value into the space the models work in.
type Transform uint8

// The available transforms.
const (
	// Identity keeps the value as is. Any finite value is accepted.
	Identity Transform = iota
	// Log1p maps x ≥ 0 to ln(1+x); suited to heavy-tailed non-negative
	// quantities such as amounts and gas. Negative values are rejected.
	Log1p
	// Bool accepts exactly 0 or 1 and keeps it.
	Bool
	// SymLog1p maps x to sign(x)·ln(1+|x|); suited to signed heavy-tailed
	// quantities such as price impact or balance deltas.
	SymLog1p
	numTransforms
)

// String returns the transform's name.
func (t Transform) String() string {
	switch t {
	case Identity:
		return "identity"
	case Log1p:
		return "log1p"
	case Bool:
		return "bool"
	case SymLog1p:
		return "symlog1p"
	}
	return fmt.Sprintf("Transform(%d)", uint8(t))
}

// apply transforms a raw value, validating its domain.
func (t Transform) apply(x float64) (float64, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%v is not finite", x)
	}
	var y float64
	switch t {
	case Identity:
		y = x
	case Log1p:
		if x < 0 {
			return 0, fmt.Errorf("%v is negative (log1p feature)", x)
		}
		y = math.Log1p(x)
	case Bool:
		if x != 0 && x != 1 {
			return 0, fmt.Errorf("%v is not 0 or 1 (bool feature)", x)
		}
		y = x
	case SymLog1p:
		y = math.Copysign(math.Log1p(math.Abs(x)), x)
	default:
		return 0, fmt.Errorf("unknown transform %d", uint8(t))
	}
	if math.Abs(y) > MaxAbsValue {
		return 0, fmt.Errorf("%v exceeds the magnitude limit %g", x, MaxAbsValue)
	}
	return y + 0, nil // +0 canonicalises -0
}

// invert maps a transformed value back to raw units.
func (t Transform) invert(y float64) float64 {
	switch t {
	case Log1p:
		return math.Expm1(y)
	case SymLog1p:
		return math.Copysign(math.Expm1(math.Abs(y)), y)
	}
	return y
}

// Feature describes one input feature.
type Feature struct {
	// Name identifies the feature in maps, struct tags and explanations.
	Name string
	// Transform is applied to the raw value before modelling.
	Transform Transform
	// Optional makes the feature default to Default (a raw value) when it
	// is absent from the input instead of failing with ErrMissingFeature.
	Optional bool
	// Default is the raw value used for an absent optional feature.
	Default float64
}

// Schema is an ordered, immutable list of features. It turns maps and
// structs into stable [Vector]s of transformed values.
type Schema struct {
	features []Feature
	index    map[string]int
}

// NewSchema returns a schema over the given features, in order. Names must
// be non-empty and unique, transforms known, and optional defaults valid.
func NewSchema(features ...Feature) (*Schema, error) {
	if len(features) == 0 {
		return nil, errors.New("anomaly: schema has no features")
	}
	if len(features) > MaxFeatures {
		return nil, fmt.Errorf("anomaly: schema has %d features, limit %d", len(features), MaxFeatures)
	}
	s := &Schema{features: make([]Feature, len(features)), index: make(map[string]int, len(features))}
	for i, f := range features {
		if f.Name == "" || len(f.Name) > maxNameLen {
			return nil, fmt.Errorf("anomaly: feature %d: name must have 1 to %d bytes", i, maxNameLen)
		}
		if _, dup := s.index[f.Name]; dup {
			return nil, fmt.Errorf("anomaly: duplicate feature %q", f.Name)
		}
		if f.Transform >= numTransforms {
			return nil, fmt.Errorf("anomaly: feature %q: unknown transform %d", f.Name, uint8(f.Transform))
		}
		if f.Optional {
			if _, err := f.Transform.apply(f.Default); err != nil {
				return nil, fmt.Errorf("anomaly: feature %q: default %w", f.Name, err)
			}
		}
		s.features[i] = f
		s.index[f.Name] = i
	}
	return s, nil
}

// Len returns the number of features.
func (s *Schema) Len() int { return len(s.features) }

// Features returns a copy of the features in vector order.
func (s *Schema) Features() []Feature { return append([]Feature(nil), s.features...) }

// Names returns the feature names in vector order.
func (s *Schema) Names() []string {
	names := make([]string, len(s.features))
	for i, f := range s.features {
		names[i] = f.Name
	}
	return names
}

// Index returns the position of the named feature and whether it exists.
func (s *Schema) Index(name string) (int, bool) {
	i, ok := s.index[name]
	return i, ok
}

// Vector converts raw values keyed by feature name into a transformed
// vector. Keys not in the schema fail with [ErrUnknownFeature]; absent
// required features fail with [ErrMissingFeature]; bad values fail with
// [ErrInvalidValue]. Errors name the feature.
func (s *Schema) Vector(raw map[string]float64) (Vector, error) {
	for name := range raw {
		if _, ok := s.index[name]; !ok {
			return nil, fmt.Errorf("%w %q", ErrUnknownFeature, name)
		}
	}
	v := make(Vector, len(s.features))
	for i, f := range s.features {
		x, ok := raw[f.Name]
		if !ok {
			if !f.Optional {
				return nil, fmt.Errorf("%w %q", ErrMissingFeature, f.Name)
			}
			x = f.Default
		}
		y, err := f.Transform.apply(x)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrInvalidValue, f.Name, err)
		}
		v[i] = y
	}
	return v, nil
}

// FromRaw converts raw values given in schema order into a transformed
// vector, validating each like [Schema.Vector].
func (s *Schema) FromRaw(raw []float64) (Vector, error) {
	if len(raw) != len(s.features) {
		return nil, fmt.Errorf("%w: got %d values, want %d", ErrDimension, len(raw), len(s.features))
	}
	v := make(Vector, len(raw))
	for i, f := range s.features {
		y, err := f.Transform.apply(raw[i])
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrInvalidValue, f.Name, err)
		}
		v[i] = y
	}
	return v, nil
}

// FromStruct converts a struct (or pointer to struct) into a transformed
// vector. Fields are matched by the tag `anomaly:"name"`; untagged fields
// and fields tagged "-" are ignored. Tagged fields may be bool, integer or
// floating-point. A tag naming a feature not in the schema fails with
// [ErrUnknownFeature]; required features with no tagged field fail with
// [ErrMissingFeature].
func (s *Schema) FromStruct(v any) (Vector, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, errors.New("anomaly: FromStruct: nil pointer")
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("anomaly: FromStruct: %s is not a struct", rv.Kind())
	}
	raw := make(map[string]float64, len(s.features))
	rt := rv.Type()
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		name, ok := sf.Tag.Lookup("anomaly")
		if !ok || name == "-" {
			continue
		}
		if !sf.IsExported() {
			return nil, fmt.Errorf("anomaly: FromStruct: field %s tagged %q is unexported", sf.Name, name)
		}
		if _, dup := raw[name]; dup {
			return nil, fmt.Errorf("anomaly: FromStruct: feature %q tagged twice", name)
		}
		fv := rv.Field(i)
		var x float64
		switch fv.Kind() {
		case reflect.Bool:
			if fv.Bool() {
				x = 1
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			x = float64(fv.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			x = float64(fv.Uint())
		case reflect.Float32, reflect.Float64:
			x = fv.Float()
		default:
			return nil, fmt.Errorf("anomaly: FromStruct: field %s (feature %q) has unsupported kind %s", sf.Name, name, fv.Kind())
		}
		raw[name] = x
	}
	return s.Vector(raw)
}

// check validates a vector against the schema.
func (s *Schema) check(v Vector) error {
	if len(v) != len(s.features) {
		return fmt.Errorf("%w: got %d values, want %d", ErrDimension, len(v), len(s.features))
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > MaxAbsValue {
			return fmt.Errorf("%w %q: %v (transformed values must be finite with magnitude ≤ %g)", ErrInvalidValue, s.features[i].Name, x, MaxAbsValue)
		}
		if s.features[i].Transform == Bool && x != 0 && x != 1 {
			return fmt.Errorf("%w %q: %v is not 0 or 1 (bool feature)", ErrInvalidValue, s.features[i].Name, x)
		}
		if s.features[i].Transform == Log1p && x < 0 {
			return fmt.Errorf("%w %q: %v is negative (log1p feature)", ErrInvalidValue, s.features[i].Name, x)
		}
	}
	return nil
}

// Vector is a feature vector in schema order, holding transformed values
// (see [Transform]). Build one with [Schema.Vector], [Schema.FromRaw] or
// [Schema.FromStruct].
type Vector []float64
