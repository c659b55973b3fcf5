package labels

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.yaml.in/yaml/v3"
)

// Defaults fill fields an imported file does not give.
type Defaults struct {
	// Source defaults to the file name.
	Source string
	// Category applies to entries without one (OFAC lists: Sanctioned).
	Category Category
	// Confidence applies to entries without one (default 0.7; OFAC 1).
	Confidence float64
	// Now stamps Modified when the file gives no date.
	Now time.Time
}

func (d Defaults) fill(name string, cat Category, conf float64) Defaults {
	if d.Source == "" {
		d.Source = filepath.Base(name)
	}
	if d.Category == "" {
		d.Category = cat
	}
	if d.Confidence == 0 {
		d.Confidence = conf
	}
	if d.Now.IsZero() {
		d.Now = time.Now().UTC()
	}
	return d
}

// Formats lists the import formats.
var Formats = []string{"csv", "json", "ofac", "tagpack"}

// DetectFormat guesses a file's format from its extension.
func DetectFormat(name string) (string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return "csv", nil
	case ".json":
		return "json", nil
	case ".txt":
		return "ofac", nil
	case ".yaml", ".yml":
		return "tagpack", nil
	}
	return "", fmt.Errorf("%s: cannot tell the format from the extension; give --format (%s)", name, strings.Join(Formats, ", "))
}

// Parse parses data in format (see Formats); name is used in errors and
// as the default source.
func Parse(format, name string, data []byte, d Defaults) (*Set, error) {
	switch format {
	case "csv":
		return ParseCSV(name, data, d)
	case "json":
		return ParseJSON(name, data, d)
	case "ofac":
		return ParseOFAC(name, data, d)
	case "tagpack":
		return ParseTagPack(name, data, d)
	}
	return nil, fmt.Errorf("labels: format %q: want one of %s", format, strings.Join(Formats, ", "))
}

// parseAddress accepts a 0x-prefixed 20-byte hex address.
func parseAddress(s string) (common.Address, error) {
	s = strings.TrimSpace(s)
	if !common.IsHexAddress(s) || !strings.HasPrefix(strings.ToLower(s), "0x") {
		return common.Address{}, fmt.Errorf("%q is not a 0x-prefixed 20-byte hex address", s)
	}
	a := common.HexToAddress(s)
	if a == (common.Address{}) {
		return a, errors.New("the zero address cannot be labelled")
	}
	return a, nil
}

func parseConfidence(s string, def float64) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	if v, ok := tagpackConfidence[strings.ToLower(s)]; ok {
		return v, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v {
		return 0, fmt.Errorf("confidence %q: want a number in [0, 1]", s)
	}
	if v > 1 && v <= 100 { // percentages
		v /= 100
	}
	if v < 0 || v > 1 {
		return 0, fmt.Errorf("confidence %q outside [0, 1]", s)
	}
	return v, nil
}

// tagpackConfidence maps GraphSense's confidence ids to scores.
var tagpackConfidence = map[string]float64{
	"ownership": 1, "authority_data": 0.95, "service_data": 0.9, "override": 0.9, "forensic": 0.8,
	"manual_transaction": 0.7, "web_crawl": 0.5, "ledger_immanent": 0.8, "heuristic": 0.4, "untrusted_transaction": 0.3,
}

// ParseCSV parses a CSV address list with a header row naming at least
// an "address" column and optionally label (or name), category, source
// and confidence columns.
func ParseCSV(name string, data []byte, d Defaults) (*Set, error) {
	d = d.fill(name, Other, 0.7)
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1:1: read header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	ai, ok := col["address"]
	if !ok {
		return nil, fmt.Errorf("%s:1:1: header has no address column (got %q)", name, strings.Join(header, ","))
	}
	get := func(rec []string, keys ...string) string {
		for _, k := range keys {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
		}
		return ""
	}
	s := &Set{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, c := r.FieldPos(0)
		if ai >= len(rec) {
			return nil, fmt.Errorf("%s:%d:%d: no address field", name, line, c)
		}
		addr, err := parseAddress(rec[ai])
		if err != nil {
			l, cc := r.FieldPos(ai)
			return nil, fmt.Errorf("%s:%d:%d: %w", name, l, cc, err)
		}
		conf, err := parseConfidence(get(rec, "confidence"), d.Confidence)
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %w", name, line, c, err)
		}
		lb := Label{Address: addr, Label: get(rec, "label", "name", "tag"), Category: d.Category, Source: d.Source, Confidence: conf, Modified: d.Now}
		if cat := get(rec, "category", "type"); cat != "" {
			lb.Category = ParseCategory(cat)
		}
		if src := get(rec, "source", "url"); src != "" {
			lb.Source = src
		}
		if lb.Label == "" {
			lb.Label = string(lb.Category)
		}
		if err := lb.Validate(); err != nil {
			return nil, fmt.Errorf("%s:%d:%d: %w", name, line, c, err)
		}
		s.Add(lb)
	}
	return s, nil
}

// jsonEntry is one object of a JSON address list.
type jsonEntry struct {
	Address    string          `json:"address"`
	Label      string          `json:"label"`
	Name       string          `json:"name"`
	Category   string          `json:"category"`
	Source     string          `json:"source"`
	Confidence json.RawMessage `json:"confidence"`
}

// ParseJSON parses a JSON address list: an array of objects with
// address, label (or name), category, source and confidence, or an object
// mapping addresses to labels.
func ParseJSON(name string, data []byte, d Defaults) (*Set, error) {
	d = d.fill(name, Other, 0.7)
	pos := func(off int64) string {
		if off < 0 || off > int64(len(data)) {
			off = int64(len(data))
		}
		before := data[:off]
		line := bytes.Count(before, []byte("\n")) + 1
		col := int(off) - bytes.LastIndexByte(before, '\n')
		return fmt.Sprintf("%s:%d:%d", name, line, col)
	}
	wrap := func(err error) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fmt.Errorf("%s: %w", pos(se.Offset), err)
		case errors.As(err, &te):
			return fmt.Errorf("%s: %w", pos(te.Offset), err)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	trimmed := bytes.TrimSpace(data)
	s := &Set{}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, wrap(err)
		}
		for k, v := range m {
			addr, err := parseAddress(k)
			if err != nil {
				return nil, fmt.Errorf("%s: key %q: %w", pos(int64(bytes.Index(data, []byte(k)))), k, err)
			}
			lb := Label{Address: addr, Label: v, Category: d.Category, Source: d.Source, Confidence: d.Confidence, Modified: d.Now}
			if err := lb.Validate(); err != nil {
				return nil, fmt.Errorf("%s: %w", pos(int64(bytes.Index(data, []byte(k)))), err)
			}
			s.Add(lb)
		}
		return s, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, wrap(err)
	}
	if dl, ok := tok.(json.Delim); !ok || dl != '[' {
		return nil, fmt.Errorf("%s: want an array of objects or an object of address → label", pos(0))
	}
	for dec.More() {
		off := dec.InputOffset()
		var e jsonEntry
		if err := dec.Decode(&e); err != nil {
			return nil, wrap(err)
		}
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
			off++
		}
		at := pos(off)
		addr, err := parseAddress(e.Address)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		conf := d.Confidence
		if len(e.Confidence) > 0 && string(e.Confidence) != "null" {
			c := strings.Trim(string(e.Confidence), `"`)
			if conf, err = parseConfidence(c, d.Confidence); err != nil {
				return nil, fmt.Errorf("%s: %w", at, err)
			}
		}
		lb := Label{Address: addr, Label: e.Label, Category: d.Category, Source: d.Source, Confidence: conf, Modified: d.Now}
		if lb.Label == "" {
			lb.Label = e.Name
		}
		if e.Category != "" {
			lb.Category = ParseCategory(e.Category)
		}
		if e.Source != "" {
			lb.Source = e.Source
		}
		if lb.Label == "" {
			lb.Label = string(lb.Category)
		}
		if err := lb.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		s.Add(lb)
	}
	if _, err := dec.Token(); err != nil {
		return nil, wrap(err)
	}
	return s, nil
}

var (
	ofacDigital = regexp.MustCompile(`(?i)Digital Currency Address - (ETH|USDC|USDT|ARB|BSC)\s+(0x[0-9a-fA-F]{40})`)
	bareAddress = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
)

// ParseOFAC parses an OFAC-style text list: either SDN entries containing
// "Digital Currency Address - ETH 0x…" (the entry's name, up to its first
// comma, becomes the label) or one bare address per line ('#' starts a
// comment). Every entry is Sanctioned with confidence 1 unless Defaults
// say otherwise.
func ParseOFAC(name string, data []byte, d Defaults) (*Set, error) {
	d = d.fill(name, Sanctioned, 1)
	s := &Set{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		trimmed := strings.TrimSpace(text)
		if i := strings.IndexByte(trimmed, '#'); i == 0 {
			continue
		}
		if trimmed == "" {
			continue
		}
		if bareAddress.MatchString(trimmed) {
			addr, err := parseAddress(trimmed)
			if err != nil {
				return nil, fmt.Errorf("%s:%d:1: %w", name, line, err)
			}
			s.Add(Label{Address: addr, Label: "OFAC SDN list", Category: d.Category, Source: d.Source, Confidence: d.Confidence, Modified: d.Now})
			continue
		}
		ms := ofacDigital.FindAllStringSubmatchIndex(text, -1)
		if len(ms) == 0 {
			if strings.HasPrefix(trimmed, "0x") {
				return nil, fmt.Errorf("%s:%d:1: %q is not a 20-byte hex address", name, line, trimmed)
			}
			continue
		}
		entity := strings.TrimSpace(text)
		if i := strings.IndexAny(entity, ",;("); i > 0 {
			entity = strings.TrimSpace(entity[:i])
		}
		if len(entity) > 80 {
			entity = entity[:80]
		}
		for _, m := range ms {
			addr, err := parseAddress(text[m[4]:m[5]])
			if err != nil {
				return nil, fmt.Errorf("%s:%d:%d: %w", name, line, m[4]+1, err)
			}
			s.Add(Label{Address: addr, Label: "OFAC SDN: " + entity, Category: d.Category, Source: d.Source, Confidence: d.Confidence, Modified: d.Now})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// tagPack is the subset of a GraphSense TagPack (header fields inherited
// by every tag) that labels use.
type tagPack struct {
	Title      string      `yaml:"title"`
	Creator    string      `yaml:"creator"`
	Label      string      `yaml:"label"`
	Category   string      `yaml:"category"`
	Source     string      `yaml:"source"`
	Confidence string      `yaml:"confidence"`
	Currency   string      `yaml:"currency"`
	Network    string      `yaml:"network"`
	LastMod    string      `yaml:"lastmod"`
	Tags       []yaml.Node `yaml:"tags"`
}

type tagPackTag struct {
	Address    string `yaml:"address"`
	Label      string `yaml:"label"`
	Category   string `yaml:"category"`
	Source     string `yaml:"source"`
	Confidence string `yaml:"confidence"`
	Currency   string `yaml:"currency"`
	Network    string `yaml:"network"`
	LastMod    string `yaml:"lastmod"`
}

// ParseTagPack parses a GraphSense-TagPack-style YAML file: header fields
// (label, category, source, confidence, currency, lastmod) that every
// entry of `tags:` inherits and may override. Entries of other currencies
// than ETH are skipped.
func ParseTagPack(name string, data []byte, d Defaults) (*Set, error) {
	d = d.fill(name, Other, 0.7)
	var tp tagPack
	if err := yaml.Unmarshal(data, &tp); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if tp.Tags == nil {
		return nil, fmt.Errorf("%s:1:1: no tags: list", name)
	}
	s := &Set{}
	for _, n := range tp.Tags {
		at := fmt.Sprintf("%s:%d:%d", name, n.Line, n.Column)
		var t tagPackTag
		if err := n.Decode(&t); err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		cur := first(t.Currency, t.Network, tp.Currency, tp.Network)
		if cur != "" && !strings.EqualFold(cur, "ETH") {
			continue
		}
		addr, err := parseAddress(t.Address)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		conf, err := parseConfidence(first(t.Confidence, tp.Confidence), d.Confidence)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		lb := Label{Address: addr, Label: first(t.Label, tp.Label), Category: d.Category, Source: first(t.Source, tp.Source, d.Source),
			Confidence: conf, Modified: d.Now}
		if c := first(t.Category, tp.Category); c != "" {
			lb.Category = ParseCategory(c)
		}
		if lm := first(t.LastMod, tp.LastMod); lm != "" {
			tm, err := time.Parse("2006-01-02", lm)
			if err != nil {
				return nil, fmt.Errorf("%s: lastmod %q: want YYYY-MM-DD", at, lm)
			}
			lb.Modified = tm
		}
		if lb.Label == "" {
			lb.Label = string(lb.Category)
		}
		if err := lb.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", at, err)
		}
		s.Add(lb)
	}
	return s, nil
}

func first(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
