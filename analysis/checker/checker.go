// Package checker is the driver that runs a suite of analyzers over a
// program: it schedules the analyzers in Requires order, computes each
// shared result once, runs independent analyzers concurrently on a bounded
// worker pool, survives panicking analyzers, applies suppression comments,
// configuration (excluded paths, disabled detectors, severity overrides)
// and baselines, assigns stable fingerprints and sorts the findings.
package checker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/aegis-defi/aegis/analysis"
)

// Options configures a run. The zero value runs every analyzer with no
// filtering.
type Options struct {
	// Exclude lists glob patterns (with ** for any number of directories)
	// matched against a file's project-relative path; findings in matching
	// files are dropped.
	Exclude []string
	// Disable lists analyzer names whose findings are dropped. A disabled
	// analyzer still runs if another one requires it.
	Disable []string
	// SeverityOverrides maps analyzer names to the severity their findings
	// get instead of the default.
	SeverityOverrides map[string]analysis.Severity
	// IncludeDeps keeps findings in dependency files.
	IncludeDeps bool
	// Baseline holds the fingerprints of known findings; findings whose
	// fingerprint is in it are dropped. See [LoadBaseline].
	Baseline Baseline
	// Concurrency bounds the number of analyzers running at once; 0 means
	// GOMAXPROCS.
	Concurrency int
}

// Result is the outcome of a run.
type Result struct {
	// Findings are the reported findings after filtering, sorted by file,
	// line, column and detector.
	Findings []analysis.Finding
	// Errors are the failures of individual analyzers (including recovered
	// panics); the other analyzers ran regardless.
	Errors []error
	// Ran lists the detectors (analyzers that report findings) that ran
	// successfully, in name order.
	Ran []*analysis.Analyzer
	// Suppressed counts findings dropped by suppression comments.
	Suppressed int
	// Baselined counts findings dropped because they are in the baseline.
	Baselined int
	// Filtered counts findings dropped by configuration: excluded paths,
	// disabled detectors and dependency files.
	Filtered int
	// Duration is the wall time of the run.
	Duration time.Duration
}

// AnalyzerError is the failure of one analyzer.
type AnalyzerError struct {
	// Analyzer is the name of the analyzer that failed.
	Analyzer string
	// Err is the underlying error.
	Err error
}

// Error returns "analyzer NAME: ERR".
func (e *AnalyzerError) Error() string { return fmt.Sprintf("analyzer %s: %v", e.Analyzer, e.Err) }

// Unwrap returns the underlying error.
func (e *AnalyzerError) Unwrap() error { return e.Err }

// action is the execution of one analyzer.
type action struct {
	a      *analysis.Analyzer
	deps   []*action
	done   chan struct{}
	result any
	err    error
	found  []analysis.Finding
}

// Run runs analyzers (and, transitively, everything they require) over
// files and returns the filtered, fingerprinted, sorted findings. It returns
// an error only if the analyzers are invalid or ctx is cancelled (then at
// once, see Pass.Context); failures of individual analyzers are collected in
// Result.Errors.
func Run(ctx context.Context, analyzers []*analysis.Analyzer, files []*analysis.File, opts Options) (*Result, error) {
	start := time.Now()
	if err := analysis.Validate(analyzers); err != nil {
		return nil, fmt.Errorf("invalid analyzers: %w", err)
	}
	actions := make(map[*analysis.Analyzer]*action)
	var mk func(a *analysis.Analyzer) *action
	mk = func(a *analysis.Analyzer) *action {
		if act, ok := actions[a]; ok {
			return act
		}
		act := &action{a: a, done: make(chan struct{})}
		actions[a] = act
		for _, r := range a.Requires {
			act.deps = append(act.deps, mk(r))
		}
		return act
	}
	var roots []*action
	for _, a := range analyzers {
		roots = append(roots, mk(a))
	}

	n := opts.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, act := range actions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(act.done)
			for _, d := range act.deps {
				<-d.done
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				act.err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			act.exec(ctx, files)
		}()
	}
	// Wait for every analyzer, or for cancellation: an analyzer that does
	// not poll Pass.Context cannot be interrupted, so Run returns at once
	// and such an analyzer finishes in the background (no new analyzer
	// starts once ctx is done) and its result is discarded.
	all := make(chan struct{})
	go func() {
		wg.Wait()
		close(all)
	}()
	select {
	case <-all:
	case <-ctx.Done():
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("analysis cancelled: %w", context.Cause(ctx))
	}

	res := &Result{}
	byPath := make(map[string]*analysis.File, len(files))
	for _, f := range files {
		byPath[f.Path] = f
	}
	disabled := make(map[string]bool, len(opts.Disable))
	for _, d := range opts.Disable {
		disabled[d] = true
	}
	excl, err := compileGlobs(opts.Exclude)
	if err != nil {
		return nil, err
	}
	sups := make(map[string]*suppressions)
	var findings []analysis.Finding
	seen := make(map[*action]bool)
	for _, act := range roots {
		if seen[act] {
			continue
		}
		seen[act] = true
		if act.err != nil {
			res.Errors = append(res.Errors, act.err)
			continue
		}
		if !act.a.ReportsFindings() {
			continue
		}
		res.Ran = append(res.Ran, act.a)
		if disabled[act.a.Name] {
			res.Filtered += len(act.found)
			continue
		}
		for _, fd := range act.found {
			f := byPath[fd.File]
			if f != nil && f.Dependency && !opts.IncludeDeps || excl.match(fd.File) {
				res.Filtered++
				continue
			}
			if f != nil {
				s, ok := sups[f.Path]
				if !ok {
					s = parseSuppressions(f)
					sups[f.Path] = s
				}
				if s.suppressed(fd.Detector, fd.Line) {
					res.Suppressed++
					continue
				}
			}
			if sev, ok := opts.SeverityOverrides[fd.Detector]; ok {
				fd.Severity = sev
			}
			findings = append(findings, fd)
		}
	}
	// Errors of required (non-root) analyzers surface through the roots
	// that depend on them; report them once as well for clarity.
	for _, act := range actions {
		if !seen[act] && act.err != nil && !isSkip(act.err) {
			res.Errors = append(res.Errors, act.err)
		}
	}
	slices.SortFunc(res.Errors, func(a, b error) int { return cmp.Compare(a.Error(), b.Error()) })
	slices.SortFunc(res.Ran, func(a, b *analysis.Analyzer) int { return cmp.Compare(a.Name, b.Name) })

	Fingerprint(findings, byPath)
	for _, fd := range findings {
		if opts.Baseline.Contains(fd.Fingerprint) {
			res.Baselined++
			continue
		}
		res.Findings = append(res.Findings, fd)
	}
	Sort(res.Findings)
	res.Duration = time.Since(start)
	return res, nil
}

// skipError marks an analyzer skipped because a requirement failed.
type skipError struct{ req string }

func (e skipError) Error() string { return fmt.Sprintf("skipped: required analyzer %s failed", e.req) }

func isSkip(err error) bool {
	var s skipError
	return errors.As(err, &s)
}

// exec runs the analyzer of act, converting a panic into an error.
func (act *action) exec(ctx context.Context, files []*analysis.File) {
	for _, d := range act.deps {
		if d.err != nil {
			act.err = &AnalyzerError{Analyzer: act.a.Name, Err: skipError{req: d.a.Name}}
			return
		}
	}
	if err := ctx.Err(); err != nil {
		act.err = err
		return
	}
	resultOf := make(map[*analysis.Analyzer]any, len(act.deps))
	for _, d := range act.deps {
		resultOf[d.a] = d.result
	}
	a := act.a
	var mu sync.Mutex // analyzers may report from their own goroutines
	pass := &analysis.Pass{
		Analyzer: a,
		Files:    files,
		ResultOf: resultOf,
		Report: func(f analysis.Finding) {
			mu.Lock()
			act.found = append(act.found, f)
			mu.Unlock()
		},
	}
	pass = pass.WithContext(ctx)
	defer func() {
		if r := recover(); r != nil {
			act.err = &AnalyzerError{Analyzer: a.Name, Err: fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
			act.found = nil
		}
	}()
	res, err := a.Run(pass)
	if err != nil {
		act.err = &AnalyzerError{Analyzer: a.Name, Err: err}
		return
	}
	if a.ResultType != nil {
		if res == nil || reflect.TypeOf(res) != a.ResultType {
			act.err = &AnalyzerError{Analyzer: a.Name, Err: fmt.Errorf("result of type %T, want %v", res, a.ResultType)}
			return
		}
	}
	act.result = res
	if !a.ReportsFindings() && len(act.found) > 0 {
		act.err = &AnalyzerError{Analyzer: a.Name, Err: fmt.Errorf("result-only analyzer reported %d findings", len(act.found))}
		return
	}
	byPath := make(map[string]*analysis.File, len(files))
	for _, f := range files {
		byPath[f.Path] = f
	}
	for i := range act.found {
		complete(&act.found[i], a, byPath)
	}
}

// complete fills in the detector metadata and missing location details of
// a finding reported by a.
func complete(fd *analysis.Finding, a *analysis.Analyzer, byPath map[string]*analysis.File) {
	fd.Detector = a.Name
	if fd.Title == "" {
		fd.Title = a.Title
	}
	if !fd.Severity.Valid() {
		fd.Severity = a.Severity
	}
	if !fd.Confidence.Valid() {
		fd.Confidence = a.Confidence
	}
	fd.Category = a.Category
	fd.SWC = a.SWC
	if fd.Line == 0 {
		if f := byPath[fd.File]; f != nil {
			analysis.Locate(fd, f, fd.Span)
		}
	}
}

// Sort orders findings by file, line, column, detector and message.
func Sort(findings []analysis.Finding) {
	slices.SortStableFunc(findings, func(a, b analysis.Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Detector, b.Detector),
			cmp.Compare(a.Message, b.Message),
			cmp.Compare(a.EndLine, b.EndLine),
			cmp.Compare(a.EndColumn, b.EndColumn),
		)
	})
}
