package analysis

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
)

// kebab matches a valid analyzer name: lowercase words joined by hyphens.
var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// swcID matches an SWC registry id.
var swcID = regexp.MustCompile(`^SWC-[0-9]{3}$`)

// ValidName reports whether name is a valid analyzer name (kebab-case).
func ValidName(name string) bool { return kebab.MatchString(name) }

// Validate reports an error if any of the analyzers, or any analyzer they
// transitively require, is invalid: a name that is not kebab-case or is
// used twice, missing documentation, an invalid severity, confidence,
// category or SWC id, a missing Run function, or a cycle in Requires.
// Analyzers that only compute results (see [Analyzer.ReportsFindings]) need
// only a name, a summary and Run. All problems are joined into one error.
func Validate(analyzers []*Analyzer) error {
	var errs []error
	names := make(map[string]*Analyzer)
	// color: 0 unvisited, 1 on stack, 2 done.
	color := make(map[*Analyzer]int)
	var visit func(a *Analyzer, path []string)
	visit = func(a *Analyzer, path []string) {
		if a == nil {
			errs = append(errs, fmt.Errorf("nil analyzer (required by %v)", path))
			return
		}
		switch color[a] {
		case 1:
			errs = append(errs, fmt.Errorf("cycle in Requires: %v -> %s", path, a.Name))
			return
		case 2:
			return
		}
		color[a] = 1
		if prev, ok := names[a.Name]; ok && prev != a {
			errs = append(errs, fmt.Errorf("analyzer %q: duplicate name", a.Name))
		}
		names[a.Name] = a
		errs = append(errs, validateOne(a)...)
		for _, r := range a.Requires {
			visit(r, append(path, a.Name))
		}
		color[a] = 2
	}
	for _, a := range analyzers {
		visit(a, nil)
	}
	return errors.Join(errs...)
}

// validateOne checks the fields of a single analyzer.
func validateOne(a *Analyzer) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("analyzer %q: %s", a.Name, fmt.Sprintf(format, args...)))
	}
	if !ValidName(a.Name) {
		bad("name is not kebab-case")
	}
	if a.Run == nil {
		bad("Run is nil")
	}
	if a.Doc.Summary == "" {
		bad("Doc.Summary is empty")
	}
	if a.ResultType != nil && a.ResultType.Kind() == reflect.Invalid {
		bad("invalid ResultType")
	}
	if !a.ReportsFindings() {
		return errs
	}
	if a.Title == "" {
		bad("Title is empty")
	}
	if a.Doc.Recommendation == "" {
		bad("Doc.Recommendation is empty")
	}
	if !a.Severity.Valid() {
		bad("invalid severity %d", int(a.Severity))
	}
	if !a.Confidence.Valid() {
		bad("invalid confidence %d", int(a.Confidence))
	}
	if !ValidCategory(a.Category) {
		bad("unknown category %q (want one of %v)", a.Category, Categories())
	}
	if a.SWC != "" && !swcID.MatchString(a.SWC) {
		bad("SWC %q is not of the form SWC-123", a.SWC)
	}
	return errs
}
