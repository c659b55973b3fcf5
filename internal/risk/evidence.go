package risk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// External evidence: a documented file (YAML, or JSON, which is YAML) of
// facts about a token or protocol that code and chain cannot show — audits,
// team disclosure, social metrics, incidents — each with a source link and
// its own weight. aegis never fetches or scrapes them (no social network is
// read): a person or another tool writes the file, and every item becomes
// a factor of kind "evidence" whose points and link are in the report.
//
//	version: 1
//	subjects:
//	  - address: 0x5FbDB2315678afecb367f032d93F642f64180aa3  # or code_hash: 0x…
//	    name: Example token
//	    items:
//	      - kind: audit            # audit | team | social | incident | listing | other
//	        claim: audited by Example Security, 0 high findings
//	        source: https://example.com/report.pdf
//	        points: -10            # -20 (reassuring) … 50 (alarming)
//	        date: 2024-05-01       # optional
//
// Negative points lower only what capability and evidence factors added:
// the score never drops below the sum of behaviour factors (a token that
// cannot be sold stays critical whatever its audits say).

// KindEvidence is the factor kind of external evidence items.
const KindEvidence = "evidence"

// Evidence kinds and point bounds.
var evidenceKinds = []string{"audit", "team", "social", "incident", "listing", "other"}

const (
	minEvidencePoints = -20
	maxEvidencePoints = 50
)

// EvidenceFile is a parsed external-evidence file.
type EvidenceFile struct {
	Version  int               `yaml:"version"`
	Subjects []EvidenceSubject `yaml:"subjects"`
}

// EvidenceSubject is the evidence about one token or contract, matched by
// address or by runtime code hash.
type EvidenceSubject struct {
	Address  string         `yaml:"address"`
	CodeHash string         `yaml:"code_hash"`
	Name     string         `yaml:"name"`
	Items    []EvidenceItem `yaml:"items"`
}

// EvidenceItem is one documented fact with its source and weight.
type EvidenceItem struct {
	Kind   string `yaml:"kind"`
	Claim  string `yaml:"claim"`
	Source string `yaml:"source"`
	Points int    `yaml:"points"`
	Date   string `yaml:"date"`
}

var (
	evAddr = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	evHash = regexp.MustCompile(`^0x[0-9a-fA-F]{64}$`)
)

// ParseEvidence parses and validates an evidence file; errors name the file,
// the line and column and the key path.
func ParseEvidence(name string, data []byte) (*EvidenceFile, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty evidence file", name)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	at := func(n *yaml.Node, path, format string, a ...any) error {
		return fmt.Errorf("%s:%d:%d: %s: %s", name, n.Line, n.Column, path, fmt.Sprintf(format, a...))
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil, at(doc, "(top level)", "want a mapping with version and subjects")
	}
	var f EvidenceFile
	var subjects *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "version":
			if err := v.Decode(&f.Version); err != nil || f.Version != 1 {
				return nil, at(v, "version", "%q: want 1", v.Value)
			}
		case "subjects":
			subjects = v
		default:
			return nil, at(k, k.Value, "unknown key (want version, subjects)")
		}
	}
	if subjects == nil || subjects.Kind != yaml.SequenceNode {
		n := doc
		if subjects != nil {
			n = subjects
		}
		return nil, at(n, "subjects", "want a list of subjects")
	}
	for i, sn := range subjects.Content {
		path := fmt.Sprintf("subjects[%d]", i)
		var s EvidenceSubject
		if sn.Kind != yaml.MappingNode {
			return nil, at(sn, path, "want a mapping (address or code_hash, name, items)")
		}
		if err := checkKeys(sn, "address", "code_hash", "name", "items"); err != nil {
			return nil, at(err.n, path+"."+err.key, "unknown key (want address, code_hash, name, items)")
		}
		if items := valueNode(sn, "items"); items != nil && items.Kind == yaml.SequenceNode {
			for j, in := range items.Content {
				if in.Kind != yaml.MappingNode {
					return nil, at(in, fmt.Sprintf("%s.items[%d]", path, j), "want a mapping (kind, claim, source, points, date)")
				}
				if err := checkKeys(in, "kind", "claim", "source", "points", "date"); err != nil {
					return nil, at(err.n, fmt.Sprintf("%s.items[%d].%s", path, j, err.key), "unknown key (want kind, claim, source, points, date)")
				}
			}
		}
		if err := sn.Decode(&s); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, path, err)
		}
		switch {
		case s.Address == "" && s.CodeHash == "":
			return nil, at(sn, path, "give address or code_hash")
		case s.Address != "" && !evAddr.MatchString(s.Address):
			return nil, at(valueNode(sn, "address"), path+".address", "%q is not a 0x-prefixed 20-byte hex address", s.Address)
		case s.CodeHash != "" && !evHash.MatchString(s.CodeHash):
			return nil, at(valueNode(sn, "code_hash"), path+".code_hash", "%q is not a 0x-prefixed 32-byte hash", s.CodeHash)
		}
		items := valueNode(sn, "items")
		if items == nil || items.Kind != yaml.SequenceNode || len(items.Content) == 0 {
			return nil, at(sn, path+".items", "want a non-empty list of items")
		}
		for j, in := range items.Content {
			it := s.Items[j]
			ip := fmt.Sprintf("%s.items[%d]", path, j)
			if !slices.Contains(evidenceKinds, it.Kind) {
				return nil, at(in, ip+".kind", "%q: want one of %s", it.Kind, strings.Join(evidenceKinds, ", "))
			}
			if strings.TrimSpace(it.Claim) == "" {
				return nil, at(in, ip+".claim", "required: what the source states")
			}
			if u, err := url.Parse(it.Source); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return nil, at(in, ip+".source", "%q: want an http(s) link to where the claim can be checked", it.Source)
			}
			if it.Points < minEvidencePoints || it.Points > maxEvidencePoints {
				return nil, at(in, ip+".points", "%d: want %d to %d", it.Points, minEvidencePoints, maxEvidencePoints)
			}
			if it.Date != "" {
				if _, err := time.Parse("2006-01-02", it.Date); err != nil {
					return nil, at(in, ip+".date", "%q: want YYYY-MM-DD", it.Date)
				}
			}
		}
		f.Subjects = append(f.Subjects, s)
	}
	return &f, nil
}

type keyError struct {
	n   *yaml.Node
	key string
}

// checkKeys returns the first key of mapping n not in allowed.
func checkKeys(n *yaml.Node, allowed ...string) *keyError {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(allowed, k.Value) {
			return &keyError{k, k.Value}
		}
	}
	return nil
}

// valueNode returns the value of key in mapping n (nil when absent).
func valueNode(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// For returns the items about a report's subject: by address (node mode) or
// by code hash.
func (f *EvidenceFile) For(r *Report) []EvidenceItem {
	if f == nil {
		return nil
	}
	var out []EvidenceItem
	for _, s := range f.Subjects {
		if (s.Address != "" && strings.EqualFold(s.Address, r.Address)) || (s.CodeHash != "" && strings.EqualFold(s.CodeHash, r.CodeHash)) {
			out = append(out, s.Items...)
		}
	}
	return out
}

// ApplyEvidence adds the file's items about r as evidence factors (and the
// external-evidence signal) and recomputes the score.
func (r *Report) ApplyEvidence(f *EvidenceFile) {
	items := f.For(r)
	res := SignalResult{Name: "external-evidence", Status: StatusOK}
	if len(items) == 0 {
		res.Status, res.Reason = StatusUnknown, "no external evidence about this subject in the file"
	}
	for _, it := range items {
		e := Evidence{Source: it.Source, Detail: it.Claim}
		if it.Date != "" {
			e.Detail += " (" + it.Date + ")"
		}
		res.Evidence = append(res.Evidence, e)
		r.Factors = append(r.Factors, Factor{ID: "evidence-" + it.Kind, Signal: res.Name, Kind: KindEvidence,
			Title: it.Kind + ": " + it.Claim, Points: it.Points, BasePoints: it.Points, Evidence: []Evidence{e}})
	}
	r.Signals = append(r.Signals, res)
	r.finish()
}
