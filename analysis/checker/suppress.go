package checker

import (
	"math"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
)

// Suppression comments. NAME lists are separated by commas or spaces; the
// name "all" (or an empty list) matches every detector. Text after " -- "
// is a free-form justification.
//
//	// aegis-disable-next-line NAME[, NAME2]
//	x = tx.origin; // aegis-disable-line NAME
//	// aegis-disable-start NAME
//	...
//	// aegis-disable-end NAME
const (
	dirNextLine = "aegis-disable-next-line"
	dirLine     = "aegis-disable-line"
	dirStart    = "aegis-disable-start"
	dirEnd      = "aegis-disable-end"
)

// lineRange is an inclusive range of lines suppressing names.
type lineRange struct {
	from, to int
	names    []string // nil means all
}

// suppressions are the suppressed line ranges of one file.
type suppressions struct {
	ranges []lineRange
}

// suppressed reports whether a finding of detector on line is suppressed.
func (s *suppressions) suppressed(detector string, line int) bool {
	for _, r := range s.ranges {
		if line < r.from || line > r.to {
			continue
		}
		if r.names == nil || contains(r.names, detector) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Directive is a parsed suppression comment.
type Directive struct {
	// Kind is the directive keyword, e.g. "aegis-disable-next-line".
	Kind string
	// Names are the detectors named, or nil for all.
	Names []string
}

// ParseDirective parses the text of a comment (with its // or /* */
// delimiters) as a suppression directive.
func ParseDirective(comment string) (Directive, bool) {
	t := strings.TrimSpace(comment)
	switch {
	case strings.HasPrefix(t, "//"):
		t = strings.TrimLeft(t, "/")
	case strings.HasPrefix(t, "/*"):
		t = strings.TrimSuffix(strings.TrimLeft(strings.TrimPrefix(t, "/*"), "*"), "*/")
	}
	t = strings.TrimSpace(t)
	if i := strings.Index(t, " -- "); i >= 0 {
		t = t[:i]
	}
	kw, rest, _ := strings.Cut(t, " ")
	switch kw {
	case dirNextLine, dirLine, dirStart, dirEnd:
	default:
		return Directive{}, false
	}
	d := Directive{Kind: kw}
	for _, n := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if n == "all" {
			return Directive{Kind: kw}, true
		}
		d.Names = append(d.Names, n)
	}
	return d, true
}

// parseSuppressions collects the suppression directives of f.
func parseSuppressions(f *analysis.File) *suppressions {
	s := &suppressions{}
	if f.AST == nil || f.Source == nil {
		return s
	}
	type open struct {
		line  int
		names []string
	}
	var opens []open
	for _, c := range f.AST.Comments {
		d, ok := ParseDirective(c.Text)
		if !ok {
			continue
		}
		line, _ := f.Source.LineCol(c.Src.Start)
		endLine := line
		if c.Src.End > c.Src.Start {
			endLine, _ = f.Source.LineCol(c.Src.End - 1)
		}
		switch d.Kind {
		case dirNextLine:
			s.ranges = append(s.ranges, lineRange{from: endLine + 1, to: endLine + 1, names: d.Names})
		case dirLine:
			s.ranges = append(s.ranges, lineRange{from: line, to: endLine, names: d.Names})
		case dirStart:
			opens = append(opens, open{line: line, names: d.Names})
		case dirEnd:
			// Close the most recent start with the same name list (or any,
			// for "all").
			for i := len(opens) - 1; i >= 0; i-- {
				if sameNames(opens[i].names, d.Names) {
					s.ranges = append(s.ranges, lineRange{from: opens[i].line, to: endLine, names: opens[i].names})
					opens = append(opens[:i], opens[i+1:]...)
					break
				}
			}
		}
	}
	// An unterminated start suppresses to the end of the file.
	for _, o := range opens {
		s.ranges = append(s.ranges, lineRange{from: o.line, to: math.MaxInt, names: o.names})
	}
	return s
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}
