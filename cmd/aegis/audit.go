package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/analysis/suite"
	"github.com/aegis-defi/aegis/internal/config"
	"github.com/aegis-defi/aegis/internal/report"
	"github.com/aegis-defi/aegis/solidity/project"
	"github.com/aegis-defi/aegis/solidity/source"
)

// defaultSuite returns the analyzers `aegis audit` runs.
func defaultSuite() []*analysis.Analyzer { return suite.Default() }

// auditOptions are the flags of `aegis audit`. Source mode analyzes PATHs;
// a bytecode mode (--bytecode, --address/--rpc) can be added as further
// fields and dispatched in runAudit.
type auditOptions struct {
	format           string
	output           string
	failOn           string
	baseline         string
	configPath       string
	exclude          []string
	detectors        []string
	excludeDetectors []string
	includeDeps      bool
	color            string
}

// FindingsError is returned by `aegis audit` when findings at or above the
// --fail-on severity exist; main prints it as one line and exits non-zero.
type FindingsError struct {
	// Count is the number of findings at or above Threshold.
	Count int
	// Threshold is the --fail-on severity.
	Threshold analysis.Severity
}

// Error returns e.g. "3 findings at or above high".
func (e *FindingsError) Error() string {
	noun := "findings"
	if e.Count == 1 {
		noun = "finding"
	}
	return fmt.Sprintf("%d %s at or above %s", e.Count, noun, e.Threshold)
}

func newAuditCmd(logger func() *slog.Logger) *cobra.Command {
	var (
		o  auditOptions
		bo bytecodeOptions
	)
	cmd := &cobra.Command{
		Use:   "audit [PATH...]",
		Short: "Statically analyze Solidity sources for vulnerabilities",
		Long: `audit parses Solidity 0.4–0.8 sources natively (no compiler needed) and runs
the detector suite over them. PATH is a .sol file, a directory, a Foundry
project (foundry.toml, remappings) or a Hardhat project (node_modules
imports); the default is the current directory. Imported files are analyzed
as dependencies; their findings are hidden unless --include-deps is given.
Dependency folders (lib/ and build output at the project root, node_modules
anywhere) and the project's test directory (foundry.toml test, Hardhat
test/) are not audited; the report lists what was left out and why.

Exit status: 0 clean, 1 findings at or above --fail-on, 2 errors (a file
that could not be parsed, nothing to audit, interrupted).

Suppress a finding in the source with a comment:
  // aegis-disable-next-line tx-origin
  x = y; // aegis-disable-line all
  // aegis-disable-start pragma ... // aegis-disable-end pragma

Settings are read from aegis.yaml (audit: section) when present.`,
		Example: `  aegis audit contracts/src
  aegis audit . --format sarif --output aegis.sarif
  aegis audit src --format json --output baseline.json
  aegis audit src --baseline baseline.json --fail-on medium
  aegis audit --bytecode 0x6080604052...            # deployed code, no source
  aegis audit --bytecode runtime.hex --format json
  aegis audit --address 0xAbc... --rpc http://127.0.0.1:8545   # follows proxies`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if bo.active() {
				if len(args) > 0 {
					return fmt.Errorf("bytecode mode takes no PATH arguments")
				}
				return interrupted(cmd.Context(), runBytecodeAudit(cmd.Context(), cmd.OutOrStdout(), bo, o.format, o.failOn))
			}
			return runAudit(cmd.Context(), logger(), cmd.OutOrStdout(), args, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "text", "output format: text, json, sarif or markdown")
	f.StringVarP(&o.output, "output", "o", "", "write the report to `FILE` instead of stdout")
	f.StringVar(&o.failOn, "fail-on", "", "exit non-zero when a finding at or above `SEVERITY` exists (info, low, medium, high, critical, none; default from config, else high)")
	f.StringVar(&o.baseline, "baseline", "", "report only findings not in `FILE` (the JSON report of an earlier run)")
	f.StringVar(&o.configPath, "config", "", "configuration `FILE` (default aegis.yaml if present)")
	f.StringSliceVar(&o.exclude, "exclude", nil, "skip paths matching `GLOB` (repeatable; ** matches directories)")
	f.StringSliceVar(&o.detectors, "detectors", nil, "run only these detectors (comma-separated)")
	f.StringSliceVar(&o.excludeDetectors, "exclude-detectors", nil, "do not run these detectors (comma-separated)")
	f.BoolVar(&o.includeDeps, "include-deps", false, "also report findings in dependencies (lib/, node_modules/)")
	f.StringVar(&o.color, "color", "auto", "colorize text output: auto, always or never")
	f.StringVar(&bo.code, "bytecode", "", "analyze deployed bytecode given as `HEX` or a file of hex instead of sources")
	f.StringVar(&bo.address, "address", "", "analyze the code deployed at `ADDRESS` (needs --rpc)")
	f.StringVar(&bo.rpc, "rpc", "", "JSON-RPC `URL` of the node to read --address from")
	return cmd
}

// runAudit is the body of `aegis audit`.
func runAudit(ctx context.Context, log *slog.Logger, stdout io.Writer, paths []string, o auditOptions) error {
	if !slices.Contains(report.Formats(), o.format) {
		return fmt.Errorf("--format %q: want text, json, sarif or markdown", o.format)
	}
	if o.color != "auto" && o.color != "always" && o.color != "never" {
		return fmt.Errorf("--color %q: want auto, always or never", o.color)
	}
	cfg, err := loadAuditConfig(o.configPath)
	if err != nil {
		return err
	}
	analyzers, err := selectDetectors(defaultSuite(), o.detectors, o.excludeDetectors)
	if err != nil {
		return err
	}
	if err := checkConfig(cfg); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	failOn := cfg.Audit.FailOn
	if o.failOn != "" {
		failOn = o.failOn
	}
	var threshold analysis.Severity
	if failOn != "none" {
		if threshold, err = analysis.ParseSeverity(failOn); err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
	}
	copts := checker.Options{
		Exclude:     append(slices.Clone(cfg.Audit.ExcludePaths), o.exclude...),
		Disable:     cfg.Audit.Disable,
		IncludeDeps: cfg.Audit.IncludeDeps || o.includeDeps,
	}
	if len(cfg.Audit.SeverityOverrides) > 0 {
		copts.SeverityOverrides = make(map[string]analysis.Severity)
		for name, s := range cfg.Audit.SeverityOverrides {
			sev, err := analysis.ParseSeverity(s)
			if err != nil {
				return fmt.Errorf("config: audit.severity_overrides.%s: %w", name, err)
			}
			copts.SeverityOverrides[name] = sev
		}
	}
	if o.baseline != "" {
		if copts.Baseline, err = checker.LoadBaseline(o.baseline); err != nil {
			return err
		}
	}

	start := time.Now()
	log.Info("audit: loading", "paths", paths)
	files, loadErrs, excluded, lines, err := loadSources(ctx, paths, copts.Exclude)
	if err != nil {
		return interrupted(ctx, err)
	}
	log.Info("audit: analyzing", "files", len(files), "lines", lines, "detectors", len(analyzers), "load_time", time.Since(start).Round(time.Millisecond))
	res, err := checker.Run(ctx, analyzers, files, copts)
	if err != nil {
		return interrupted(ctx, fmt.Errorf("audit: %w", err))
	}
	log.Info("audit: done", "findings", len(res.Findings), "time", time.Since(start).Round(time.Millisecond))
	sources := make(map[string]*source.File, len(files))
	nonDep := 0
	for _, f := range files {
		sources[f.Path] = f.Source
		if !f.Dependency {
			nonDep++
		}
	}
	r := &report.Result{
		Findings: res.Findings,
		Errors:   append(loadErrs, res.Errors...),
		Stats: report.Stats{
			Files: nonDep, Lines: lines, Duration: time.Since(start), Detectors: len(res.Ran),
			Suppressed: res.Suppressed, Baselined: res.Baselined,
		},
		Detectors:   res.Ran,
		Sources:     sources,
		Excluded:    excluded,
		TestDoubles: report.TestDoubles(files),
	}
	if err := writeReport(stdout, o, r); err != nil {
		return err
	}
	if n := unparsedFiles(files); n > 0 {
		return &UnparsedError{Files: n}
	}
	if threshold.Valid() {
		n := 0
		for _, f := range res.Findings {
			if f.Severity >= threshold {
				n++
			}
		}
		if n > 0 {
			return &FindingsError{Count: n, Threshold: threshold}
		}
	}
	return nil
}

// maxErrorsPerFile bounds the syntax errors reported per file; the rest
// are counted in one "N more errors suppressed" line.
const maxErrorsPerFile = 50

// UnparsedError is returned by `aegis audit` after the report when files
// had syntax errors: the analysis of those files is incomplete, so the run
// fails (exit 2) whatever the findings.
type UnparsedError struct {
	// Files is the number of files with syntax errors.
	Files int
}

// Error returns e.g. "2 files could not be parsed ...".
func (e *UnparsedError) Error() string {
	noun := "files"
	if e.Files == 1 {
		noun = "file"
	}
	return fmt.Sprintf("%d %s could not be parsed (see the errors in the report); the analysis is incomplete", e.Files, noun)
}

// ErrNothingToAudit is returned when the paths hold no Solidity file.
var ErrNothingToAudit = errors.New("nothing to audit")

// unparsedFiles counts the files with syntax errors.
func unparsedFiles(files []*analysis.File) int {
	n := 0
	for _, f := range files {
		if len(f.ParseErrors) > 0 {
			n++
		}
	}
	return n
}

// interrupted turns an error caused by ctx's cancellation (SIGINT,
// SIGTERM) into one clear message naming the signal.
func interrupted(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || !errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("audit interrupted (%v); no report written", context.Cause(ctx))
}

// loadAuditConfig loads the --config file, or aegis.yaml in the working
// directory if it exists, or the defaults.
func loadAuditConfig(path string) (*config.Config, error) {
	if path == "" {
		if _, err := os.Stat("aegis.yaml"); err != nil {
			return config.Default(), nil
		}
		path = "aegis.yaml"
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// selectDetectors applies --detectors and --exclude-detectors to all.
func selectDetectors(all []*analysis.Analyzer, only, excluded []string) ([]*analysis.Analyzer, error) {
	names := detectorNames(all)
	for _, n := range slices.Concat(only, excluded) {
		if !slices.Contains(names, n) {
			return nil, fmt.Errorf("unknown detector %q (see aegis detectors)", n)
		}
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		if len(only) > 0 && !slices.Contains(only, a.Name) || slices.Contains(excluded, a.Name) {
			continue
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, errors.New("no detectors selected")
	}
	return out, nil
}

// detectorNames returns the names of the analyzers that report findings.
func detectorNames(as []*analysis.Analyzer) []string {
	var out []string
	for _, a := range as {
		if a.ReportsFindings() {
			out = append(out, a.Name)
		}
	}
	return out
}

// loadSources loads every path and converts the files for the checker,
// de-duplicating files reached from several paths. Parse errors and import
// errors are returned as errors to report, not failures.
func loadSources(ctx context.Context, paths, exclude []string) (files []*analysis.File, errs []error, excluded []report.Exclusion, lines int, err error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	seen := make(map[string]*analysis.File)
	for _, p := range paths {
		proj, err := project.Load(ctx, p, project.Options{Exclude: exclude})
		if err != nil {
			return nil, nil, nil, 0, err
		}
		errs = append(errs, proj.Errors...)
		for _, e := range proj.Excluded {
			x := report.Exclusion{Path: e.Path, Reason: e.Reason, Files: e.Files, Dependency: e.Dependency}
			if !slices.Contains(excluded, x) { // paths of one project report it once
				excluded = append(excluded, x)
			}
		}
		for _, f := range proj.Files {
			if prev, ok := seen[f.Abs]; ok {
				prev.Dependency = prev.Dependency && f.Dependency
				continue
			}
			af := &analysis.File{Path: f.Path, Source: f.Source, AST: f.AST, ParseErrors: f.ParseErrors, Dependency: f.Dependency}
			seen[f.Abs] = af
			files = append(files, af)
		}
	}
	targets := 0
	for _, f := range files {
		if !f.Dependency {
			targets++
			lines += f.Source.LineCount()
		}
		for i, e := range f.ParseErrors {
			if i == maxErrorsPerFile {
				e.Msg = fmt.Sprintf("%d more errors suppressed", len(f.ParseErrors)-maxErrorsPerFile)
				errs = append(errs, e)
				break
			}
			errs = append(errs, e)
		}
	}
	if targets == 0 {
		msg := fmt.Sprintf("no Solidity (.sol) files found in %s", strings.Join(paths, ", "))
		if len(excluded) > 0 {
			var parts []string
			for _, e := range excluded {
				parts = append(parts, e.Path+" ("+e.Reason+")")
			}
			msg += "; not searched: " + strings.Join(parts, ", ")
		}
		return nil, nil, nil, 0, fmt.Errorf("%w: %s", ErrNothingToAudit, msg)
	}
	return files, errs, excluded, lines, nil
}

// writeReport writes r to --output or stdout.
func writeReport(stdout io.Writer, o auditOptions, r *report.Result) (err error) {
	w := stdout
	if o.output != "" {
		f, err := os.Create(o.output)
		if err != nil {
			return fmt.Errorf("--output: %w", err)
		}
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("--output: %w", cerr)
			}
		}()
		w = f
	}
	color := o.color == "always" || o.color == "auto" && isTerminal(w)
	if err := report.Write(w, o.format, r, report.Options{Color: color, ToolVersion: versionString()}); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// isTerminal reports whether w is a character device (a TTY).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}
