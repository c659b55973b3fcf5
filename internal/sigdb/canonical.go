package sigdb

import (
	"fmt"
	"strconv"
	"strings"
)

// CheckCanonical checks that sig is a canonical ABI signature such as
// "swap(uint256,uint256,address,bytes)" or "f((address,uint256)[],bytes32)":
// an identifier followed by a parenthesised, comma-separated list of
// canonical types (uint256 not uint, no spaces, no parameter names). It
// returns the name.
func CheckCanonical(sig string) (string, error) {
	open := strings.IndexByte(sig, '(')
	if open < 0 || !strings.HasSuffix(sig, ")") {
		return "", fmt.Errorf("sigdb: %q: not of the form name(types)", sig)
	}
	name := sig[:open]
	if !isIdent(name) {
		return "", fmt.Errorf("sigdb: %q: invalid name %q", sig, name)
	}
	p := typeParser{s: sig, pos: open}
	if err := p.tuple(); err != nil {
		return "", err
	}
	if p.pos != len(sig) {
		return "", fmt.Errorf("sigdb: %q: trailing text at offset %d", sig, p.pos)
	}
	return name, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

type typeParser struct {
	s   string
	pos int
}

func (p *typeParser) errorf(format string, args ...any) error {
	return fmt.Errorf("sigdb: %q: offset %d: %s", p.s, p.pos, fmt.Sprintf(format, args...))
}

// tuple parses "(t1,...,tn)" at pos.
func (p *typeParser) tuple() error {
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return p.errorf("want '('")
	}
	p.pos++
	if p.pos < len(p.s) && p.s[p.pos] == ')' {
		p.pos++
		return nil
	}
	for {
		if err := p.typ(); err != nil {
			return err
		}
		if p.pos >= len(p.s) {
			return p.errorf("unterminated tuple")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return nil
		default:
			return p.errorf("unexpected %q", p.s[p.pos])
		}
	}
}

// typ parses one type with optional array suffixes.
func (p *typeParser) typ() error {
	if p.pos < len(p.s) && p.s[p.pos] == '(' {
		if err := p.tuple(); err != nil {
			return err
		}
	} else {
		start := p.pos
		for p.pos < len(p.s) && isAlnum(p.s[p.pos]) {
			p.pos++
		}
		if !isElementary(p.s[start:p.pos]) {
			p.pos = start
			return p.errorf("non-canonical type %q", elemAt(p.s, start))
		}
	}
	for p.pos < len(p.s) && p.s[p.pos] == '[' {
		end := strings.IndexByte(p.s[p.pos:], ']')
		if end < 0 {
			return p.errorf("unterminated array")
		}
		if n := p.s[p.pos+1 : p.pos+end]; n != "" {
			v, err := strconv.ParseUint(n, 10, 64)
			if err != nil || v == 0 || n[0] == '0' {
				return p.errorf("invalid array length %q", n)
			}
		}
		p.pos += end + 1
	}
	return nil
}

func elemAt(s string, i int) string {
	j := i
	for j < len(s) && s[j] != ',' && s[j] != ')' && s[j] != '[' {
		j++
	}
	return s[i:j]
}

func isAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// isElementary reports whether t is a canonical elementary ABI type.
func isElementary(t string) bool {
	switch t {
	case "address", "bool", "string", "bytes", "function":
		return true
	}
	if n, ok := strings.CutPrefix(t, "bytes"); ok {
		v, err := strconv.Atoi(n)
		return err == nil && v >= 1 && v <= 32 && strconv.Itoa(v) == n
	}
	n, ok := strings.CutPrefix(t, "uint")
	if !ok {
		n, ok = strings.CutPrefix(t, "int")
	}
	if ok {
		v, err := strconv.Atoi(n)
		return err == nil && v >= 8 && v <= 256 && v%8 == 0 && strconv.Itoa(v) == n
	}
	return false
}
