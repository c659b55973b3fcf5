// Package report writes audit results as text (for terminals), JSON,
// SARIF 2.1.0 (for GitHub code scanning) and Markdown (an audit-style
// report).
package report

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Result is what an audit run produced.
type Result struct {
	// Findings are the findings to report, in output order.
	Findings []analysis.Finding
	// Errors are the problems that did not stop the run: parse errors,
	// missing imports, failing detectors.
	Errors []error
	// Stats summarizes the run.
	Stats Stats
	// Detectors are the detectors that ran; they provide the rule metadata.
	Detectors []*analysis.Analyzer
	// Sources maps Finding.File to its content, for code excerpts.
	Sources map[string]*source.File
	// Excluded lists what source discovery left out and why (dependency
	// folders, test directories, configured exclusions).
	Excluded []Exclusion
	// TestDoubles are the audited contracts that [analysis.TestDouble]
	// matched: detectors that reason about deployed entry points skip them.
	TestDoubles []TestDouble
}

// TestDouble is a contract taken for test scaffolding, never deployed.
type TestDouble struct {
	Contract string `json:"contract"`
	File     string `json:"file"`
}

// TestDoubles returns the contracts of the non-dependency files that
// [analysis.TestDouble] matches, in file order.
func TestDoubles(files []*analysis.File) []TestDouble {
	var out []TestDouble
	for _, f := range files {
		if f.Dependency || f.AST == nil {
			continue
		}
		for _, d := range f.AST.Decls {
			cd, ok := d.(*ast.ContractDefinition)
			if !ok || cd.Name == nil || cd.Kind == ast.KindInterface {
				continue
			}
			if analysis.TestDouble(cd.Name.Name, f.Path) {
				out = append(out, TestDouble{Contract: cd.Name.Name, File: f.Path})
			}
		}
	}
	return out
}

// Exclusion is a part of the audited tree that was not audited, and why.
type Exclusion struct {
	// Path is the directory (trailing slash) or glob, project-relative.
	Path string `json:"path"`
	// Reason names the convention or setting that excluded it.
	Reason string `json:"reason"`
	// Files counts the .sol files left out; 0 for dependency folders,
	// whose files are analyzed where imported.
	Files int `json:"files"`
	// Dependency marks a dependency folder.
	Dependency bool `json:"dependency"`
}

// Stats summarizes a run.
type Stats struct {
	Files      int           `json:"files"`
	Lines      int           `json:"lines"`
	Duration   time.Duration `json:"-"`
	Detectors  int           `json:"detectors"`
	Suppressed int           `json:"suppressed"`
	Baselined  int           `json:"baselined"`
}

// BySeverity counts r's findings per severity.
func (r *Result) BySeverity() map[analysis.Severity]int {
	m := make(map[analysis.Severity]int)
	for _, f := range r.Findings {
		m[f.Severity]++
	}
	return m
}

// detector returns the analyzer named name, or nil.
func (r *Result) detector(name string) *analysis.Analyzer {
	for _, a := range r.Detectors {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Options configures the writers.
type Options struct {
	// Color enables ANSI colors in text output.
	Color bool
	// ToolVersion is the aegis version recorded in SARIF.
	ToolVersion string
}

// Formats returns the supported output formats.
func Formats() []string { return []string{"text", "json", "sarif", "markdown"} }

// ErrUnknownFormat is returned by Write for an unsupported format.
var ErrUnknownFormat = errors.New("unknown format")

// Write writes r to w in format (see Formats).
func Write(w io.Writer, format string, r *Result, opts Options) error {
	switch format {
	case "text", "":
		return WriteText(w, r, opts)
	case "json":
		return WriteJSON(w, r)
	case "sarif":
		return WriteSARIF(w, r, opts)
	case "markdown", "md":
		return WriteMarkdown(w, r)
	}
	return fmt.Errorf("%w %q (want text, json, sarif or markdown)", ErrUnknownFormat, format)
}

// errorLocation returns the location of a positioned error, if any.
func errorLocation(err error) (file string, line, col int, msg string) {
	var se source.Error
	if errors.As(err, &se) && se.File != nil {
		p := se.Position()
		return p.Filename, p.Line, p.Column, se.Msg
	}
	return "", 0, 0, err.Error()
}

// severitiesDesc returns the severities, most severe first.
func severitiesDesc() []analysis.Severity {
	s := analysis.Severities()
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}
