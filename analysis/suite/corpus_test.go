package suite_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/analysis/suite"
	"github.com/aegis-defi/aegis/solidity/project"
)

// corpusPackages are the audited packages pinned in tools/corpus, each with
// the directory (relative to node_modules) audited as a plain directory.
var corpusPackages = []struct{ name, dir string }{
	{"oz3", "oz3"},
	{"oz4", "oz4"},
	{"oz5", "oz5"},
	{"@openzeppelin/contracts-upgradeable", "@openzeppelin/contracts-upgradeable"},
	{"@uniswap/v2-core", "@uniswap/v2-core/contracts"},
	{"@uniswap/v3-core", "@uniswap/v3-core/contracts"},
	{"@uniswap/v3-periphery", "@uniswap/v3-periphery/contracts"},
	{"@uniswap/v4-core", "@uniswap/v4-core/src"},
	{"@chainlink/contracts", "@chainlink/contracts/src/v0.8"},
	{"@balancer-labs/v2-vault", "@balancer-labs/v2-vault/contracts"},
	{"@safe-global/safe-contracts", "@safe-global/safe-contracts/contracts"},
	{"@aave/core-v3", "@aave/core-v3/contracts"},
	{"solmate", "solmate/src"},
}

// corpusTestDirs are the test-code folders excluded by configuration.
var corpusTestDirs = []string{"test", "tests", "testhelpers"}

// corpusExpectation is one reviewed high or critical finding on the corpus.
type corpusExpectation struct {
	Package     string `yaml:"package"`
	File        string `yaml:"file"`
	Detector    string `yaml:"detector"`
	Line        int    `yaml:"line"`
	Fingerprint string `yaml:"fingerprint"`
	Verdict     string `yaml:"verdict"`
	Reason      string `yaml:"reason"`
}

// corpusDir returns the installed corpus: $AEGIS_CORPUS_DIR, else
// tools/corpus/node_modules. Outside CI a missing corpus skips the test;
// in CI (CI=true) it fails it.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("AEGIS_CORPUS_DIR")
	if dir == "" {
		_, here, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(here), "..", "..", "tools", "corpus", "node_modules")
	}
	if _, err := os.Stat(filepath.Join(dir, "solmate", "src")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("corpus not installed in %s (%v): run npm ci in tools/corpus", dir, err)
		}
		t.Skipf("corpus not installed in %s (%v): run npm ci in tools/corpus", dir, err)
	}
	return dir
}

// nodeRemappings resolves bare imports the way npm lays packages out: the
// package's own node_modules first, then the corpus's top level. Each
// package is audited as a plain directory, so without these its imports
// of sibling packages would be missing.
func nodeRemappings(t *testing.T, mods, pkgRoot string) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	for _, nm := range []string{filepath.Join(pkgRoot, "node_modules"), mods} {
		ents, err := os.ReadDir(nm)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			names := []string{e.Name()}
			if strings.HasPrefix(e.Name(), "@") {
				names = nil
				sub, err := os.ReadDir(filepath.Join(nm, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range sub {
					names = append(names, e.Name()+"/"+s.Name())
				}
			}
			for _, n := range names {
				if !seen[n] {
					seen[n] = true
					out = append(out, n+"/="+filepath.ToSlash(filepath.Join(nm, n))+"/")
				}
			}
		}
	}
	return out
}

// auditCorpusPackage runs the default suite over one corpus package.
func auditCorpusPackage(t *testing.T, mods, dir string) ([]analysis.Finding, int) {
	t.Helper()
	root := filepath.Join(mods, dir)
	// The package root: "name" or "@scope/name", the first components of dir.
	parts := strings.SplitN(dir, "/", 3)
	pkgRoot := filepath.Join(mods, parts[0])
	if strings.HasPrefix(parts[0], "@") && len(parts) > 1 {
		pkgRoot = filepath.Join(pkgRoot, parts[1])
	}
	// Test code is left out the way a user auditing these packages would
	// configure it (aegis audit --exclude test --exclude tests --exclude
	// testhelpers); the packages ship their tests without the project
	// file (foundry.toml) that would exclude them by convention.
	proj, err := project.Load(context.Background(), root, project.Options{BaseDir: mods, Remappings: nodeRemappings(t, mods, pkgRoot), Exclude: corpusTestDirs})
	if err != nil {
		t.Fatal(err)
	}
	var files []*analysis.File
	for _, f := range proj.Files {
		files = append(files, &analysis.File{Path: f.Path, Source: f.Source, AST: f.AST, ParseErrors: f.ParseErrors, Dependency: f.Dependency})
	}
	res, err := checker.Run(context.Background(), suite.Default(), files, checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Errorf("analysis errors: %v", res.Errors)
	}
	n := 0
	for _, f := range files {
		if !f.Dependency {
			n++
		}
	}
	return res.Findings, n
}

// TestWellAuditedCodeHasNoHighFindings runs the default suite over
// well-audited code pinned in tools/corpus — OpenZeppelin Contracts
// 3.4/4.9/5.x and Contracts Upgradeable, Uniswap v2/v3 core, v3 periphery
// and v4 core, Chainlink, Balancer v2 Vault, Safe, Aave v3 and solmate —
// and fails on every high or critical finding that is not a reviewed entry
// of testdata/corpus-expectations.yaml (and on every entry no longer
// reported, so the file cannot go stale). With AEGIS_CORPUS_REPORT set to
// a file name it also writes the per-package, per-detector counts there
// (docs/audit-precision.md is built from them).
func TestWellAuditedCodeHasNoHighFindings(t *testing.T) {
	mods := corpusDir(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "corpus-expectations.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var exps []corpusExpectation
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&exps); err != nil {
		t.Fatalf("testdata/corpus-expectations.yaml: %v", err)
	}
	expected := map[string]*corpusExpectation{}
	for i := range exps {
		e := &exps[i]
		if e.Verdict != "true-positive" && e.Verdict != "false-positive" {
			t.Errorf("corpus-expectations.yaml entry %d (%s %s): verdict %q, want true-positive or false-positive", i, e.Detector, e.File, e.Verdict)
		}
		if e.Reason == "" || e.Fingerprint == "" {
			t.Errorf("corpus-expectations.yaml entry %d (%s %s): needs a fingerprint and a reason", i, e.Detector, e.File)
		}
		expected[e.Package+"\x00"+e.Fingerprint] = e
	}
	var report strings.Builder
	for _, pkg := range corpusPackages {
		t.Run(pkg.name, func(t *testing.T) {
			findings, nfiles := auditCorpusPackage(t, mods, pkg.dir)
			counts := map[string]int{}
			seen := map[string]bool{}
			for _, f := range findings {
				if f.Severity < analysis.High {
					continue
				}
				counts[f.Detector]++
				k := pkg.name + "\x00" + f.Fingerprint
				seen[k] = true
				e := expected[k]
				if e == nil {
					t.Errorf("unreviewed %s finding on audited code: %s %s:%d: %s (fingerprint %s)", f.Severity, f.Detector, f.File, f.Line, f.Message, f.Fingerprint)
					continue
				}
				if e.Detector != f.Detector || e.File != f.File {
					t.Errorf("expectation %s names %s %s, finding is %s %s", e.Fingerprint, e.Detector, e.File, f.Detector, f.File)
				}
			}
			for k, e := range expected {
				if e.Package == pkg.name && !seen[k] {
					t.Errorf("reviewed finding no longer reported (remove it from corpus-expectations.yaml): %s %s:%d (%s)", e.Detector, e.File, e.Line, e.Fingerprint)
				}
			}
			dets := make([]string, 0, len(counts))
			for d := range counts {
				dets = append(dets, d)
			}
			sort.Strings(dets)
			var parts []string
			for _, d := range dets {
				parts = append(parts, fmt.Sprintf("%s=%d", d, counts[d]))
			}
			total := 0
			for _, n := range counts {
				total += n
			}
			t.Logf("%d files, %d high/critical: %s", nfiles, total, strings.Join(parts, " "))
			fmt.Fprintf(&report, "%s\t%d\t%s\n", pkg.name, nfiles, strings.Join(parts, " "))
			if os.Getenv("AEGIS_CORPUS_FINDINGS") != "" {
				for _, f := range findings {
					if f.Severity >= analysis.High {
						fmt.Fprintf(&report, "  - package: %q\n    file: %s\n    detector: %s\n    line: %d\n    fingerprint: %s\n    verdict: \n    reason: %q\n", pkg.name, f.File, f.Detector, f.Line, f.Fingerprint, f.Message)
					}
				}
			}
		})
	}
	if out := os.Getenv("AEGIS_CORPUS_REPORT"); out != "" {
		if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
