package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var known = []string{"deprecated", "pragma", "tx-origin"}

func TestBadConfigs(t *testing.T) {
	want := map[string]string{
		"empty-glob":       "audit.exclude_paths[2]: empty glob",
		"unknown-detector": "audit.severity_overrides.foo: unknown detector",
		"bad-severity":     `audit.severity_overrides.tx-origin: unknown severity "severe"`,
		"unknown-key":      "audit.exclude_path: line 2: unknown key",
		"unknown-section":  "audits: line 1: unknown key",
		"bad-fail-on":      `audit.fail_on: unknown severity "sometimes"`,
		"unknown-disable":  `audit.disable[1]: "nope": unknown detector`,
		"bad-bool":         `audit.include_deps: line 2: want true or false, got "maybe"`,
		"not-mapping":      "audit: line 1: expected a mapping",
	}
	files, err := filepath.Glob("testdata/*.bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(want) {
		t.Errorf("%d bad files, %d expectations", len(files), len(want))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".bad.yaml")
		t.Run(name, func(t *testing.T) {
			exp, ok := want[name]
			if !ok {
				t.Fatalf("no expected error for %s", f)
			}
			c, err := Load(f)
			if err == nil {
				err = c.Validate(known)
			}
			if err == nil || !strings.Contains(err.Error(), exp) {
				t.Errorf("error = %v, want it to contain %q", err, exp)
			}
		})
	}
}

func TestGoodConfig(t *testing.T) {
	c, err := Load("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(known); err != nil {
		t.Fatal(err)
	}
	a := c.Audit
	if a.FailOn != "medium" || len(a.ExcludePaths) != 2 || a.SeverityOverrides["tx-origin"] != "critical" || a.Disable[0] != "pragma" {
		t.Errorf("decoded %+v", a)
	}
}

func TestEmptyConfigDefaults(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "aegis.yaml")
	if err := os.WriteFile(p, []byte("# nothing\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Audit.FailOn != "high" {
		t.Errorf("default fail_on = %q", c.Audit.FailOn)
	}
}
