package project

import (
	"fmt"
	"regexp"
	"strings"
)

// compileGlob compiles a slash-separated path glob: * matches within a
// segment, ** any number of segments; a pattern without a slash matches a
// name at any depth; a matching directory matches everything below it.
func compileGlob(pattern string) (*regexp.Regexp, error) {
	p := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(pattern), "./"), "/")
	if p == "" {
		return nil, fmt.Errorf("empty glob pattern")
	}
	var b strings.Builder
	if strings.Contains(p, "/") {
		b.WriteString("^")
	} else {
		b.WriteString("(^|/)")
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				i++
				if i+1 < len(p) && p[i+1] == '/' {
					i++
					b.WriteString("(.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("(/.*)?$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	return re, nil
}
