package alert

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":    0,
		"120": 2 * time.Minute,
		"1.5": 1500 * time.Millisecond,
		"-3":  0,
		now.Add(30 * time.Second).Format(http.TimeFormat): 30 * time.Second,
		"soon": 0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := truncateUTF16("ab🚨cd", 4); got != "ab…" {
		t.Errorf("truncateUTF16 = %q", got) // the emoji is 2 units and does not fit with "…"
	}
	if got := truncateRunes("héllo", 3); got != "hé…" {
		t.Errorf("truncateRunes = %q", got)
	}
	if got := utf16Len("a🚨"); got != 3 {
		t.Errorf("utf16Len = %d", got)
	}
	if got := FormatETH(412.4); got != "412" {
		t.Errorf("FormatETH = %q", got)
	}
	if got := FormatETH(0.000123456); got != "0.0001235" {
		t.Errorf("FormatETH small = %q", got)
	}
}
