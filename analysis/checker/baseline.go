package checker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Baseline is a set of fingerprints of known findings.
type Baseline map[string]bool

// Contains reports whether fingerprint is in b.
func (b Baseline) Contains(fingerprint string) bool { return b[fingerprint] }

// ParseBaseline decodes a baseline from the JSON output of a previous run:
// either an object with a "findings" array (the `--format json` report) or
// a bare array of findings. Only the fingerprints are used.
func ParseBaseline(data []byte) (Baseline, error) {
	type entry struct {
		Fingerprint string `json:"fingerprint"`
	}
	var list []entry
	data = bytes.TrimSpace(data)
	if bytes.HasPrefix(data, []byte("[")) {
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, fmt.Errorf("decode baseline: %w", err)
		}
	} else {
		var doc struct {
			Findings *[]entry `json:"findings"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("decode baseline: %w", err)
		}
		if doc.Findings == nil {
			return nil, fmt.Errorf("decode baseline: no \"findings\" array")
		}
		list = *doc.Findings
	}
	b := make(Baseline, len(list))
	for i, e := range list {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("decode baseline: finding %d has no fingerprint", i)
		}
		b[e.Fingerprint] = true
	}
	return b, nil
}

// LoadBaseline reads a baseline file written by `aegis audit --format json`.
func LoadBaseline(path string) (Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	b, err := ParseBaseline(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
