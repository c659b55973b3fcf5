package checker_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/parser"
)

func parse(t *testing.T, path, src string, dep bool) *analysis.File {
	t.Helper()
	unit, errs := parser.ParseSource(path, []byte(src))
	if len(errs) > 0 {
		t.Fatalf("parse %s: %v", path, errs)
	}
	return &analysis.File{Path: path, Source: unit.File, AST: unit, Dependency: dep}
}

// callDetector reports every call of a function named name.
func callDetector(name string, requires ...*analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:       name,
		Title:      "Call of " + name,
		Doc:        analysis.Doc{Summary: "Finds calls.", Recommendation: "Don't."},
		Severity:   analysis.Medium,
		Confidence: analysis.ConfidenceHigh,
		Category:   analysis.CategoryBestPractice,
		Requires:   requires,
		Run: func(pass *analysis.Pass) (any, error) {
			for _, r := range requires {
				if pass.ResultOf[r] == nil {
					return nil, errors.New("missing result")
				}
			}
			for _, f := range pass.Files {
				ast.Inspect(f.AST, func(n ast.Node) bool {
					if c, ok := n.(*ast.CallExpr); ok {
						if id, ok := c.Fun.(*ast.Ident); ok && id.Name == name {
							pass.Reportf(c, "call of %s", name)
						}
					}
					return true
				})
			}
			return nil, nil
		},
	}
}

const mainSrc = `pragma solidity ^0.8.0;
contract C {
    function f() public {
        foo();
        foo();
        // aegis-disable-next-line foo
        foo();
        foo(); // aegis-disable-line all -- reviewed
        // aegis-disable-start foo, bar
        foo();
        bar();
        // aegis-disable-end foo, bar
        bar();
    }
}
`

func TestRunFiltersAndFingerprints(t *testing.T) {
	var runs atomic.Int32
	model := &analysis.Analyzer{
		Name:       "model",
		Doc:        analysis.Doc{Summary: "A shared model."},
		ResultType: reflect.TypeOf(""),
		Run: func(*analysis.Pass) (any, error) {
			runs.Add(1)
			return "model", nil
		},
	}
	foo, bar := callDetector("foo", model), callDetector("bar", model)
	files := []*analysis.File{
		parse(t, "src/C.sol", mainSrc, false),
		parse(t, "lib/L.sol", "contract L { function g() public { foo(); } }", true),
		parse(t, "test/T.sol", "contract T { function g() public { bar(); } }", false),
	}
	ctx := context.Background()
	res, err := checker.Run(ctx, []*analysis.Analyzer{foo, bar}, files, checker.Options{Exclude: []string{"test/**"}})
	if err != nil {
		t.Fatal(err)
	}
	if runs.Load() != 1 {
		t.Errorf("model ran %d times, want 1", runs.Load())
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.String())
	}
	want := []string{
		"src/C.sol:4:9: [foo] call of foo",
		"src/C.sol:5:9: [foo] call of foo",
		"src/C.sol:13:9: [bar] call of bar",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Suppressed != 4 || res.Filtered != 2 {
		t.Errorf("suppressed=%d filtered=%d, want 4, 2", res.Suppressed, res.Filtered)
	}
	f0, f1 := res.Findings[0], res.Findings[1]
	if f0.Fingerprint == f1.Fingerprint || len(f0.Fingerprint) != 32 {
		t.Errorf("fingerprints %q %q: want distinct 32-char hex", f0.Fingerprint, f1.Fingerprint)
	}
	if f0.Contract != "C" || f0.Function != "f" || f0.Severity != analysis.Medium || f0.Title != "Call of foo" {
		t.Errorf("metadata not filled: %+v", f0)
	}

	// Edits elsewhere (a new line at the top, re-indentation) keep fingerprints.
	edited := "// header comment\n\n" + strings.ReplaceAll(mainSrc, "        foo();", "\t\tfoo( );")
	files[0] = parse(t, "src/C.sol", edited, false)
	res2, err := checker.Run(ctx, []*analysis.Analyzer{foo, bar}, files, checker.Options{
		Exclude:           []string{"test/**"},
		IncludeDeps:       true,
		SeverityOverrides: map[string]analysis.Severity{"bar": analysis.Critical},
		Disable:           []string{"foo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res2.Findings) != 1 || res2.Findings[0].Fingerprint != res.Findings[2].Fingerprint {
		t.Fatalf("after edit: %v", res2.Findings)
	}
	if res2.Findings[0].Severity != analysis.Critical {
		t.Errorf("severity override not applied: %v", res2.Findings[0].Severity)
	}

	// Baseline: only new findings are reported.
	base := checker.Baseline{f0.Fingerprint: true, res.Findings[2].Fingerprint: true}
	res3, err := checker.Run(ctx, []*analysis.Analyzer{foo, bar}, files, checker.Options{Exclude: []string{"test/**"}, Baseline: base, IncludeDeps: true})
	if err != nil {
		t.Fatal(err)
	}
	if res3.Baselined != 2 || len(res3.Findings) != 2 {
		t.Errorf("baselined=%d findings=%v", res3.Baselined, res3.Findings)
	}
}

func TestRunSurvivesPanic(t *testing.T) {
	boom := &analysis.Analyzer{
		Name:       "boom",
		Doc:        analysis.Doc{Summary: "Panics."},
		ResultType: reflect.TypeOf(0),
		Run:        func(*analysis.Pass) (any, error) { panic("kaboom") },
	}
	dependent := callDetector("bar", boom)
	ok := callDetector("foo")
	files := []*analysis.File{parse(t, "C.sol", mainSrc, false)}
	res, err := checker.Run(context.Background(), []*analysis.Analyzer{dependent, ok}, files, checker.Options{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 2 {
		t.Errorf("foo findings = %d, want 2", len(res.Findings))
	}
	var msgs []string
	for _, e := range res.Errors {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "analyzer boom: panic: kaboom") || !strings.Contains(all, "analyzer bar: skipped: required analyzer boom failed") {
		t.Errorf("errors:\n%s", all)
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := checker.Run(ctx, []*analysis.Analyzer{callDetector("foo")}, nil, checker.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestCompileGlob(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		{"test/**", "test/a/B.sol", true},
		{"test/**", "src/test/B.sol", false},
		{"test", "src/test/B.sol", true},
		{"**/mocks/*.sol", "src/mocks/M.sol", true},
		{"**/mocks/*.sol", "mocks/M.sol", true},
		{"src/*.sol", "src/a/B.sol", false},
		{"*.t.sol", "test/A.t.sol", true},
		{"src/[AB].sol", "src/B.sol", true},
	}
	for _, tt := range tests {
		re, err := checker.CompileGlob(tt.glob)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.MatchString(tt.path); got != tt.want {
			t.Errorf("glob %q on %q = %v, want %v", tt.glob, tt.path, got, tt.want)
		}
	}
}

func TestParseBaseline(t *testing.T) {
	b, err := checker.ParseBaseline([]byte(`{"findings":[{"fingerprint":"ab"}],"errors":[]}`))
	if err != nil || !b.Contains("ab") {
		t.Errorf("object form: %v %v", b, err)
	}
	b, err = checker.ParseBaseline([]byte(`[{"fingerprint":"cd"}]`))
	if err != nil || !b.Contains("cd") {
		t.Errorf("array form: %v %v", b, err)
	}
	if _, err := checker.ParseBaseline([]byte(`{"x":1}`)); err == nil {
		t.Error("missing findings accepted")
	}
}

// TestRunReturnsOnCancel: Run returns promptly when ctx is cancelled while
// an analyzer that never polls its context is still running, and a polling
// analyzer sees the cancellation through Pass.Context.
func TestRunReturnsOnCancel(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{}, 2)
	stuck := callDetector("stuck")
	stuck.Run = func(pass *analysis.Pass) (any, error) {
		started <- struct{}{}
		<-release // ignores pass.Context
		return nil, nil
	}
	polite := callDetector("polite")
	var sawCancel atomic.Bool
	polite.Run = func(pass *analysis.Pass) (any, error) {
		started <- struct{}{}
		<-pass.Context().Done()
		sawCancel.Store(true)
		return nil, pass.Context().Err()
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		<-started
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := checker.Run(ctx, []*analysis.Analyzer{stuck, polite}, nil, checker.Options{Concurrency: 2})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
	if !sawCancel.Load() {
		// polite may not have observed it yet when Run returned; give it
		// the moment it needs.
		time.Sleep(100 * time.Millisecond)
		if !sawCancel.Load() {
			t.Error("Pass.Context was not cancelled")
		}
	}
}

// TestReportfManyContracts: findings in a file of many contracts (and in a
// second file with overlapping byte offsets) are attributed to the right
// file, contract and function.
func TestReportfManyContracts(t *testing.T) {
	var a, b strings.Builder
	a.WriteString("pragma solidity ^0.8.0;\n")
	b.WriteString("pragma solidity ^0.8.0;\n")
	for i := range 300 {
		fmt.Fprintf(&a, "contract A%d { function f%d() public { foo(); } }\n", i, i)
		fmt.Fprintf(&b, "contract B%d { function g%d() public { bar(); } }\n", i, i)
	}
	files := []*analysis.File{parse(t, "A.sol", a.String(), false), parse(t, "B.sol", b.String(), false)}
	res, err := checker.Run(context.Background(), []*analysis.Analyzer{callDetector("foo"), callDetector("bar")}, files, checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 600 {
		t.Fatalf("%d findings, want 600", len(res.Findings))
	}
	for _, f := range res.Findings {
		want := map[string]string{"foo": "A.sol", "bar": "B.sol"}[f.Detector]
		prefix := map[string]string{"foo": "A", "bar": "B"}[f.Detector]
		n := strings.TrimPrefix(f.Contract, prefix)
		if f.File != want || !strings.HasPrefix(f.Contract, prefix) || !strings.HasSuffix(f.Function, n) || f.Line-1 != atoi(t, n)+1 {
			t.Fatalf("finding %s at %s:%d in %s.%s", f.Detector, f.File, f.Line, f.Contract, f.Function)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
