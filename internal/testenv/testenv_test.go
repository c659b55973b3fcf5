package testenv

import (
	"testing"
)

// recorder captures what Require does without ending the real test.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Skipf(string, ...any)  { r.skipped = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }

func TestRequire(t *testing.T) {
	for _, c := range []struct {
		ci, ok     string
		skip, fail bool
	}{
		{ci: "", ok: "yes"},
		{ci: "true", ok: "yes"},
		{ci: "", ok: "", skip: true},
		{ci: "true", ok: "", fail: true},
	} {
		t.Setenv("CI", c.ci)
		r := &recorder{TB: t}
		Require(r, c.ok != "", "anvil", "run scripts/test.sh")
		if r.skipped != c.skip || r.failed != c.fail {
			t.Errorf("CI=%q ok=%v: skipped %v failed %v", c.ci, c.ok != "", r.skipped, r.failed)
		}
	}
}
