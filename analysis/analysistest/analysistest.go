// Package analysistest runs analyzers over Solidity fixtures and checks
// their findings against expectations written in the fixtures.
//
// An expectation is a comment on the offending line:
//
//	require(tx.origin == owner); // want "tx.origin used for authorization"
//
// Each quoted string (Go syntax: "..." or `...`) is a regular expression
// that must match the message or the detector name of one finding reported
// on that line; several may be given on one line. A finding without a
// matching expectation, and an expectation without a matching finding, fail
// the test with the file:line. Lines without `want` are negative cases.
// Findings are filtered by the real driver, so a finding suppressed by an
// aegis-disable comment is not reported and must have no `want`.
package analysistest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Testing is the subset of *testing.T used by the harness.
type Testing interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// expectation is one `want` regexp on a line.
type expectation struct {
	file string
	line int
	re   *regexp.Regexp
	met  bool
}

// Run parses every .sol file under dir (recursively), runs the analyzers
// over them with the checker and compares the findings with the `// want`
// expectations. Files must parse without errors. It returns the findings
// for further checks.
func Run(t Testing, dir string, analyzers ...*analysis.Analyzer) []analysis.Finding {
	t.Helper()
	files, err := Load(dir)
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	if len(files) == 0 {
		t.Fatalf("no .sol files under %s", dir)
		return nil
	}
	for _, f := range files {
		for _, e := range f.ParseErrors {
			t.Errorf("%s: parse error: %s", dir, e.Error())
		}
	}
	res, err := checker.Run(context.Background(), analyzers, files, checker.Options{IncludeDeps: true})
	if err != nil {
		t.Fatalf("%v", err)
		return nil
	}
	for _, e := range res.Errors {
		t.Errorf("%v", e)
	}
	var wants []*expectation
	for _, f := range files {
		w, errs := expectations(f)
		for _, err := range errs {
			t.Errorf("%s: %v", dir, err)
		}
		wants = append(wants, w...)
	}
	check(t, dir, res.Findings, wants)
	return res.Findings
}

// check matches findings against expectations and reports mismatches.
func check(t Testing, dir string, findings []analysis.Finding, wants []*expectation) {
	t.Helper()
	byLine := make(map[string][]*expectation)
	for _, w := range wants {
		k := fmt.Sprintf("%s:%d", w.file, w.line)
		byLine[k] = append(byLine[k], w)
	}
	for _, fd := range findings {
		k := fmt.Sprintf("%s:%d", fd.File, fd.Line)
		matched := false
		for _, w := range byLine[k] {
			if !w.met && (w.re.MatchString(fd.Message) || w.re.MatchString(fd.Detector)) {
				w.met = true
				matched = true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d:%d: unexpected finding: [%s] %s", filepath.Join(dir, fd.File), fd.Line, fd.Column, fd.Detector, fd.Message)
		}
	}
	sort.SliceStable(wants, func(i, j int) bool {
		if wants[i].file != wants[j].file {
			return wants[i].file < wants[j].file
		}
		return wants[i].line < wants[j].line
	})
	for _, w := range wants {
		if !w.met {
			t.Errorf("%s:%d: no finding matched %q", filepath.Join(dir, w.file), w.line, w.re.String())
		}
	}
}

// Load reads and parses every .sol file under dir. File paths are relative
// to dir and slash-separated.
func Load(dir string) ([]*analysis.File, error) {
	var files []*analysis.File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".sol") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		src := source.NewFile(rel, data)
		unit, errs := parser.ParseFile(src)
		files = append(files, &analysis.File{Path: rel, Source: src, AST: unit, ParseErrors: errs})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load fixtures: %w", err)
	}
	return files, nil
}

// wantRE finds a want directive in a comment.
var wantRE = regexp.MustCompile(`^(?://+|/\*+)\s*want\s+(.*?)\s*(?:\*/)?$`)

// expectations extracts the `want` expectations of f's comments.
func expectations(f *analysis.File) ([]*expectation, []error) {
	var out []*expectation
	var errs []error
	for _, c := range f.AST.Comments {
		m := wantRE.FindStringSubmatch(strings.TrimSpace(c.Text))
		if m == nil {
			continue
		}
		line, _ := f.Source.LineCol(c.Src.Start)
		pats, err := quoted(m[1])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: bad want comment: %w", f.Path, line, err))
			continue
		}
		for _, p := range pats {
			re, err := regexp.Compile(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: bad want regexp: %w", f.Path, line, err))
				continue
			}
			out = append(out, &expectation{file: f.Path, line: line, re: re})
		}
	}
	return out, errs
}

// quoted splits s into Go string literals ("..." or `...`).
func quoted(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		prefix, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("expected a quoted string at %q", s)
		}
		v, err := strconv.Unquote(prefix)
		if err != nil {
			return nil, fmt.Errorf("unquote %s: %w", prefix, err)
		}
		out = append(out, v)
		s = s[len(prefix):]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no patterns")
	}
	return out, nil
}
