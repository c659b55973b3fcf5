package alert

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ShortAddr shortens a hex address or hash to "0xabcd…1234". Shorter strings
// are returned unchanged.
func ShortAddr(s string) string {
	if len(s) <= 12 {
		return s
	}
	return s[:6] + "…" + s[len(s)-4:]
}

// FormatETH formats an ether amount for humans: whole numbers above 100,
// two decimals above 1, four significant digits below.
func FormatETH(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	case a >= 1:
		return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}

// truncateRunes cuts s to at most n runes, ending in "…" when cut.
func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// utf16Len is the length of s in UTF-16 code units, the unit Telegram and
// Discord count limits in.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncateUTF16 cuts s to at most n UTF-16 code units, ending in "…" when
// cut.
func truncateUTF16(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		l := utf16.RuneLen(r)
		if used+l > n-1 { // keep room for "…" (one unit)
			break
		}
		b.WriteRune(r)
		used += l
	}
	b.WriteString("…")
	return b.String()
}
