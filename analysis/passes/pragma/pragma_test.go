package pragma

import (
	"testing"

	"github.com/aegis-defi/aegis/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, "testdata/src", Analyzer)
}

func TestParseConstraint(t *testing.T) {
	tests := []struct {
		in       string
		floating bool
		min      string
	}{
		{"0.8.19", false, "0.8.19"},
		{"=0.8.19", false, "0.8.19"},
		{"^0.8.0", true, "0.8.0"},
		{">=0.6.0 <0.9.0", true, "0.6.0"},
		{">= 0.4.22 < 0.6.0", true, "0.4.22"},
		{"0.8", true, "0.8.0"},
		{"0.8.0 || ^0.7.6", true, "0.7.6"},
		{"<0.9.0", true, "0.0.0"},
	}
	for _, tt := range tests {
		c := parseConstraint(tt.in)
		if !c.ok || c.floating != tt.floating || c.min.String() != tt.min {
			t.Errorf("parseConstraint(%q) = %+v, want floating=%v min=%s", tt.in, c, tt.floating, tt.min)
		}
	}
	if parseConstraint("abc").ok {
		t.Error("parseConstraint(abc) ok")
	}
}
