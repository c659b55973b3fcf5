package project

import (
	"fmt"
	"regexp"
	"strings"
)

// CompileGlob compiles a slash-separated path glob: * matches within one
// path segment, ** matches any number of segments, ? one character and
// [...] a character class. A pattern without a slash matches a file or
// directory name at any depth ("test" matches "src/test/A.sol"); a pattern
// matching a directory matches everything below it.
func CompileGlob(pattern string) (*regexp.Regexp, error) {
	p := strings.TrimPrefix(strings.TrimSpace(pattern), "./")
	if p == "" {
		return nil, fmt.Errorf("empty glob pattern")
	}
	var b strings.Builder
	if strings.Contains(strings.TrimSuffix(p, "/"), "/") {
		b.WriteString("^")
	} else {
		b.WriteString("(^|/)")
	}
	p = strings.TrimSuffix(p, "/")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
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
		case '[':
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("glob %q: unterminated [", pattern)
			}
			class := p[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + class + "]")
			i += j
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
