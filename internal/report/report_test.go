package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/analysis/passes/deprecated"
	"github.com/aegis-defi/aegis/analysis/passes/pragma"
	"github.com/aegis-defi/aegis/analysis/passes/txorigin"
	"github.com/aegis-defi/aegis/internal/report"
	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture runs a fixed set of detectors over testdata/Wallet.sol (not the
// default suite, which grows: the golden files must only change when the
// report format does).
func fixture(t *testing.T) *report.Result {
	t.Helper()
	data, err := os.ReadFile("testdata/Wallet.sol")
	if err != nil {
		t.Fatal(err)
	}
	src := source.NewFile("src/Wallet.sol", data)
	unit, perrs := parser.ParseFile(src)
	if len(perrs) > 0 {
		t.Fatal(perrs)
	}
	files := []*analysis.File{{Path: src.Name(), Source: src, AST: unit}}
	res, err := checker.Run(context.Background(), []*analysis.Analyzer{deprecated.Analyzer, pragma.Analyzer, txorigin.Analyzer}, files, checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 3 {
		t.Fatalf("fixture findings = %v", res.Findings)
	}
	return &report.Result{
		Findings: res.Findings,
		Errors: []error{
			source.Error{File: src, Span: source.Span{Start: 0, End: 6}, Msg: `import "./Missing.sol" not found`},
			errors.New("analyzer boom: panic: kaboom"),
		},
		Stats:     report.Stats{Files: 1, Lines: src.LineCount(), Duration: 1500 * time.Millisecond, Detectors: len(res.Ran)},
		Detectors: res.Ran,
		Sources:   map[string]*source.File{src.Name(): src},
	}
}

func TestGolden(t *testing.T) {
	r := fixture(t)
	for _, tt := range []struct {
		format, file string
		color        bool
	}{
		{"text", "report.txt", false},
		{"text", "report.color.txt", true},
		{"json", "report.json", false},
		{"sarif", "report.sarif", false},
		{"markdown", "report.md", false},
	} {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.Write(&buf, tt.format, r, report.Options{Color: tt.color, ToolVersion: "test"}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", tt.file)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("%s mismatch (run with -update to accept):\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	for name, r := range map[string]*report.Result{"findings": fixture(t), "empty": {}} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.WriteSARIF(&buf, r, report.Options{ToolVersion: "test"}); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err != nil {
				t.Errorf("SARIF does not validate: %v", err)
			}
		})
	}
}

func TestSchemaRejectsInvalid(t *testing.T) {
	// Guard against a schema that accepts anything.
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"version":"2.1.0","runs":[{"results":[{"level":"severe"}]}]}`))
	if sch.Validate(doc) == nil {
		t.Error("invalid SARIF accepted")
	}
}

func TestJSONIsOneObject(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, fixture(t)); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&buf)
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one JSON value")
	}
	for _, k := range []string{"findings", "errors", "stats"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	// The JSON report is a valid baseline.
	b, err := checker.ParseBaseline(mustMarshal(t, doc))
	if err != nil || len(b) != 3 {
		t.Errorf("baseline from JSON report: %v, %v", b, err)
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUnknownFormat(t *testing.T) {
	if err := report.Write(&bytes.Buffer{}, "xml", &report.Result{}, report.Options{}); !errors.Is(err, report.ErrUnknownFormat) {
		t.Errorf("err = %v", err)
	}
}

// TestExcludedIsReported: what discovery left out is stated in the text
// header and the JSON "excluded" field, and absent when nothing was.
func TestExcludedIsReported(t *testing.T) {
	r := &report.Result{Excluded: []report.Exclusion{
		{Path: "lib/", Reason: "Foundry library directory (analyzed where imported)"},
		{Path: "test/", Reason: `Foundry test directory (default test = "test")`, Files: 3},
	}}
	var text, js bytes.Buffer
	if err := report.WriteText(&text, r, report.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NOT AUDITED\n", "  lib/: Foundry library directory", "  test/ (3 files): Foundry test directory"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Excluded []report.Exclusion `json:"excluded"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Excluded) != 2 || doc.Excluded[1] != r.Excluded[1] {
		t.Errorf("json excluded = %+v", doc.Excluded)
	}
	text.Reset()
	if err := report.WriteText(&text, &report.Result{}, report.Options{}); err != nil || strings.Contains(text.String(), "NOT AUDITED") {
		t.Errorf("header without exclusions: %v %q", err, text.String())
	}
}

// TestTestDoublesAreStated: the contracts that detectors skip as test
// scaffolding are listed in the text report and the JSON "test_doubles"
// field; production contracts and dependency files are not.
func TestTestDoublesAreStated(t *testing.T) {
	file := func(path, src string, dep bool) *analysis.File {
		sf := source.NewFile(path, []byte(src))
		unit, errs := parser.ParseFile(sf)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		return &analysis.File{Path: path, Source: sf, AST: unit, Dependency: dep}
	}
	files := []*analysis.File{
		file("src/Vault.sol", "contract Vault {} contract VaultHarness is Vault {} interface IMock {}", false),
		file("src/mocks/Oracle.sol", "contract Oracle {}", false),
		file("lib/oz/ERC20Mock.sol", "contract ERC20Mock {}", true),
	}
	r := &report.Result{TestDoubles: report.TestDoubles(files)}
	want := []report.TestDouble{{Contract: "VaultHarness", File: "src/Vault.sol"}, {Contract: "Oracle", File: "src/mocks/Oracle.sol"}}
	if len(r.TestDoubles) != len(want) || r.TestDoubles[0] != want[0] || r.TestDoubles[1] != want[1] {
		t.Fatalf("TestDoubles = %+v, want %+v", r.TestDoubles, want)
	}
	var text, js bytes.Buffer
	if err := report.WriteText(&text, r, report.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "TEST DOUBLES") || !strings.Contains(text.String(), "  VaultHarness (src/Vault.sol)\n") {
		t.Errorf("text lacks the test doubles:\n%s", text.String())
	}
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TestDoubles []report.TestDouble `json:"test_doubles"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.TestDoubles) != 2 {
		t.Errorf("json test_doubles = %+v (%v)", doc.TestDoubles, err)
	}
	text.Reset()
	if err := report.WriteText(&text, &report.Result{}, report.Options{}); err != nil || strings.Contains(text.String(), "TEST DOUBLES") {
		t.Errorf("header without test doubles: %v %q", err, text.String())
	}
}
