package bytecode

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseHex decodes bytecode written as hex: with or without a 0x/0X prefix,
// with any whitespace (spaces, newlines) anywhere. Errors name the offset in
// s of the offending character ("invalid hex at offset N"), an unlinked
// library placeholder ("__$...$__"), or an odd number of digits.
func ParseHex(s string) ([]byte, error) {
	start := 0
	for start < len(s) && isSpace(s[start]) {
		start++
	}
	if strings.HasPrefix(s[start:], "0x") || strings.HasPrefix(s[start:], "0X") {
		start += 2
	}
	out := make([]byte, 0, (len(s)-start)/2)
	var hi byte
	half := false
	digits := 0
	for i := start; i < len(s); i++ {
		c := s[i]
		if isSpace(c) {
			continue
		}
		v, ok := fromHex(c)
		if !ok {
			if c == '_' && i+1 < len(s) && s[i+1] == '_' {
				return nil, fmt.Errorf("bytecode: unlinked library placeholder at offset %d (link libraries first)", i)
			}
			if c >= 0x80 {
				r, size := utf8.DecodeRuneInString(s[i:])
				if unicode.IsSpace(r) {
					i += size - 1
					continue
				}
				return nil, fmt.Errorf("bytecode: invalid hex at offset %d: %q", i, r)
			}
			return nil, fmt.Errorf("bytecode: invalid hex at offset %d: %q", i, c)
		}
		digits++
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		return nil, fmt.Errorf("bytecode: odd number of hex digits (%d)", digits)
	}
	if len(out) == 0 {
		return nil, errors.New("bytecode: no hex digits")
	}
	return out, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func fromHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
