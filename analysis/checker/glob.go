package checker

import (
	"regexp"

	"github.com/aegis-defi/aegis/solidity/project"
)

// globs is a compiled list of path patterns.
type globs []*regexp.Regexp

// match reports whether path matches any pattern.
func (g globs) match(path string) bool {
	for _, re := range g {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// compileGlobs compiles patterns with [CompileGlob].
func compileGlobs(patterns []string) (globs, error) {
	var g globs
	for _, p := range patterns {
		re, err := CompileGlob(p)
		if err != nil {
			return nil, err
		}
		g = append(g, re)
	}
	return g, nil
}

// CompileGlob compiles a slash-separated path glob; see
// [project.CompileGlob], which the loader uses too, so --exclude means the
// same thing to both.
func CompileGlob(pattern string) (*regexp.Regexp, error) { return project.CompileGlob(pattern) }
