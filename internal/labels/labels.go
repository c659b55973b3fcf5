// Package labels is aegis's address label store with provenance: each
// label says who or what an address is (an exchange hot wallet, a mixer
// pool, a bridge, a sanctioned address …), where that claim comes from and
// how confident it is. Labels are kept in an open format, one JSON object
// per line (labels.jsonl), and imported from common public formats: CSV
// and JSON address lists, OFAC-style text lists and GraphSense
// TagPack-style YAML. A small built-in set covers well-known mainnet
// addresses with their sources.
package labels

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Category classifies a labelled address.
type Category string

// The categories. Exchange, Mixer, Bridge and Sanctioned are service
// boundaries: a trace stops there and names them.
const (
	Exchange   Category = "exchange"
	Mixer      Category = "mixer"
	Bridge     Category = "bridge"
	Sanctioned Category = "sanctioned"
	DEX        Category = "dex"
	DeFi       Category = "defi"
	Exploiter  Category = "exploiter"
	Scam       Category = "scam"
	Other      Category = "other"
)

// categories lists the known categories for validation.
var categories = []Category{Exchange, Mixer, Bridge, Sanctioned, DEX, DeFi, Exploiter, Scam, Other}

// ParseCategory maps a free-form category (case-insensitive, a few common
// synonyms) to a Category; unknown ones become Other.
func ParseCategory(s string) Category {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "cex", "exchange", "centralized exchange", "deposit", "hot wallet", "hot_wallet":
		return Exchange
	case "mixer", "mixing", "mixing service", "privacy", "tornado":
		return Mixer
	case "bridge", "cross-chain", "crosschain":
		return Bridge
	case "sanctioned", "sanction", "ofac", "sdn":
		return Sanctioned
	case "dex", "amm":
		return DEX
	case "defi":
		return DeFi
	case "exploiter", "hacker", "hack", "attacker", "exploit":
		return Exploiter
	case "scam", "phishing", "fraud":
		return Scam
	}
	for _, c := range categories {
		if string(c) == s {
			return c
		}
	}
	return Other
}

// Boundary reports whether c is a service boundary a trace stops at.
func (c Category) Boundary() bool {
	return c == Exchange || c == Mixer || c == Bridge || c == Sanctioned
}

// Label is one claim about one address.
type Label struct {
	// Address is the labelled address.
	Address common.Address `json:"address"`
	// Label is the human name, e.g. "Tornado Cash 10 ETH pool".
	Label string `json:"label"`
	// Category classifies it.
	Category Category `json:"category"`
	// Source says where the claim comes from (a URL, a list's name, or
	// "aegis cluster" for derived labels).
	Source string `json:"source"`
	// Confidence is in [0, 1].
	Confidence float64 `json:"confidence"`
	// Modified is when the label was last changed.
	Modified time.Time `json:"modified"`
}

// Validate checks a label's fields.
func (l Label) Validate() error {
	switch {
	case l.Address == (common.Address{}):
		return errors.New("label: zero address")
	case strings.TrimSpace(l.Label) == "":
		return fmt.Errorf("label %s: empty label", l.Address.Hex())
	case l.Confidence < 0 || l.Confidence > 1 || l.Confidence != l.Confidence:
		return fmt.Errorf("label %s: confidence %v outside [0, 1]", l.Address.Hex(), l.Confidence)
	case strings.TrimSpace(l.Source) == "":
		return fmt.Errorf("label %s: no source", l.Address.Hex())
	}
	return nil
}

// Set is an in-memory label set. The zero value is empty and ready.
type Set struct {
	by map[common.Address][]Label
}

// Add adds or replaces (same address, label and source) a label.
func (s *Set) Add(l Label) {
	if s.by == nil {
		s.by = map[common.Address][]Label{}
	}
	ls := s.by[l.Address]
	for i, x := range ls {
		if x.Label == l.Label && x.Source == l.Source {
			ls[i] = l
			return
		}
	}
	s.by[l.Address] = append(ls, l)
}

// Merge adds every label of o.
func (s *Set) Merge(o *Set) {
	for _, l := range o.All() {
		s.Add(l)
	}
}

// Lookup returns a's labels, most confident first.
func (s *Set) Lookup(a common.Address) []Label {
	ls := slices.Clone(s.by[a])
	slices.SortStableFunc(ls, func(x, y Label) int {
		switch {
		case x.Confidence > y.Confidence:
			return -1
		case x.Confidence < y.Confidence:
			return 1
		}
		return 0
	})
	return ls
}

// Boundary returns a's most confident service-boundary label.
func (s *Set) Boundary(a common.Address) (Label, bool) {
	for _, l := range s.Lookup(a) {
		if l.Category.Boundary() {
			return l, true
		}
	}
	return Label{}, false
}

// Best returns a's most confident label.
func (s *Set) Best(a common.Address) (Label, bool) {
	ls := s.Lookup(a)
	if len(ls) == 0 {
		return Label{}, false
	}
	return ls[0], true
}

// Len returns the number of labels.
func (s *Set) Len() int {
	n := 0
	for _, ls := range s.by {
		n += len(ls)
	}
	return n
}

// All returns every label sorted by address, then label.
func (s *Set) All() []Label {
	var out []Label
	for _, ls := range s.by {
		out = append(out, ls...)
	}
	slices.SortFunc(out, func(x, y Label) int {
		if c := x.Address.Cmp(y.Address); c != 0 {
			return c
		}
		return strings.Compare(x.Label+x.Source, y.Label+y.Source)
	})
	return out
}

// FileName is the label store inside a data directory.
const FileName = "labels.jsonl"

// Load reads a label store (JSON lines); a missing file is an empty set.
func Load(path string) (*Set, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Set{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	defer f.Close()
	s := &Set{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var l Label
		if err := json.Unmarshal([]byte(b), &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if err := l.Validate(); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		s.Add(l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("labels: read %s: %w", path, err)
	}
	return s, nil
}

// Save writes s as JSON lines to path (atomically, via a temporary file).
func (s *Set) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".labels-*")
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	if err := s.Write(tmp); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	return nil
}

// Write writes s as JSON lines.
func (s *Set) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, l := range s.All() {
		if err := enc.Encode(l); err != nil {
			return fmt.Errorf("labels: write: %w", err)
		}
	}
	return nil
}
