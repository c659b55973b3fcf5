package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/aegis-defi/aegis/analysis"
)

// jsonReport is the JSON document: exactly one object.
type jsonReport struct {
	Findings []analysis.Finding `json:"findings"`
	Errors   []jsonError        `json:"errors"`
	Excluded []Exclusion        `json:"excluded,omitempty"`
	// TestDoubles: contracts whose entry points detectors do not treat as deployed.
	TestDoubles []TestDouble `json:"test_doubles,omitempty"`
	Stats       jsonStats    `json:"stats"`
}

type jsonError struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

type jsonStats struct {
	Stats
	DurationMS int64          `json:"duration_ms"`
	BySeverity map[string]int `json:"by_severity"`
}

// WriteJSON writes r as one JSON object with findings, errors and stats.
// Its findings array is also the --baseline input format.
func WriteJSON(w io.Writer, r *Result) error {
	doc := jsonReport{
		Findings:    r.Findings,
		Errors:      []jsonError{},
		Excluded:    r.Excluded,
		TestDoubles: r.TestDoubles,
		Stats:       jsonStats{Stats: r.Stats, DurationMS: r.Stats.Duration.Milliseconds(), BySeverity: map[string]int{}},
	}
	if doc.Findings == nil {
		doc.Findings = []analysis.Finding{}
	}
	for _, e := range r.Errors {
		file, line, col, msg := errorLocation(e)
		doc.Errors = append(doc.Errors, jsonError{File: file, Line: line, Column: col, Message: msg})
	}
	for _, s := range analysis.Severities() {
		doc.Stats.BySeverity[s.String()] = 0
	}
	for s, n := range r.BySeverity() {
		doc.Stats.BySeverity[s.String()] = n
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
