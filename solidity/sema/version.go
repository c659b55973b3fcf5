package sema

import (
	"strconv"
	"strings"
)

// Version is a Solidity compiler version major.minor.patch.
type Version struct {
	Major, Minor, Patch int
}

// String formats v as major.minor.patch.
func (v Version) String() string {
	return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) + "." + strconv.Itoa(v.Patch)
}

// Less reports whether v orders before w.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	if v.Minor != w.Minor {
		return v.Minor < w.Minor
	}
	return v.Patch < w.Patch
}

// maxVersion is an upper bound larger than every real version.
var maxVersion = Version{1 << 20, 0, 0}

// versionRange is the half-open interval [Lo, Hi).
type versionRange struct {
	Lo, Hi Version
}

// VersionConstraint is a parsed `pragma solidity` constraint: a
// disjunction (||) of conjunctions of comparators, each reduced to a
// half-open version interval. The zero value is an unknown constraint (no
// pragma), which allows every version.
type VersionConstraint struct {
	// Raw is the pragma text, such as "^0.8.0" or ">=0.6.0 <0.8.0"; it is
	// empty when the file has no solidity pragma.
	Raw string
	// Known reports whether a pragma was present and could be parsed.
	Known  bool
	ranges []versionRange
}

// ParseVersionConstraint parses the value of a `pragma solidity` directive.
// Unparsable comparators are ignored; if nothing can be parsed, the result
// is not Known.
func ParseVersionConstraint(raw string) VersionConstraint {
	c := VersionConstraint{Raw: strings.TrimSpace(raw)}
	for _, alt := range strings.Split(c.Raw, "||") {
		r := versionRange{Hi: maxVersion}
		ok := false
		fields := strings.Fields(alt)
		for i := 0; i < len(fields); i++ {
			f := fields[i]
			// Allow "> = 0.4" style spacing and "0.4.0 - 0.5.0" ranges.
			if (f == ">=" || f == "<=" || f == ">" || f == "<" || f == "^" || f == "~" || f == "=") && i+1 < len(fields) {
				f += fields[i+1]
				i++
			}
			if f == "-" {
				continue
			}
			if i+2 < len(fields) && fields[i+1] == "-" {
				lo, ok1 := parseVersion(f)
				hi, ok2 := parseVersion(fields[i+2])
				if ok1 && ok2 {
					r.Lo = maxOf(r.Lo, lo)
					r.Hi = minOf(r.Hi, next(hi))
					ok = true
				}
				i += 2
				continue
			}
			lo, hi, good := parseComparator(f)
			if !good {
				continue
			}
			ok = true
			r.Lo = maxOf(r.Lo, lo)
			r.Hi = minOf(r.Hi, hi)
		}
		if ok {
			c.ranges = append(c.ranges, r)
		}
	}
	c.Known = len(c.ranges) > 0
	return c
}

func maxOf(a, b Version) Version {
	if a.Less(b) {
		return b
	}
	return a
}

func minOf(a, b Version) Version {
	if a.Less(b) {
		return a
	}
	return b
}

func next(v Version) Version { return Version{v.Major, v.Minor, v.Patch + 1} }

// parseVersion parses "0.8", "0.8.19", "0.4.x" (missing parts are zero).
func parseVersion(s string) (Version, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return Version{}, false
	}
	var n [3]int
	for i, p := range parts {
		if p == "x" || p == "X" || p == "*" {
			break
		}
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 {
			return Version{}, false
		}
		n[i] = x
	}
	return Version{n[0], n[1], n[2]}, true
}

// parseComparator returns the interval [lo, hi) admitted by one comparator.
func parseComparator(f string) (lo, hi Version, ok bool) {
	op := ""
	for _, p := range []string{">=", "<=", ">", "<", "^", "~", "="} {
		if strings.HasPrefix(f, p) {
			op = p
			f = f[len(p):]
			break
		}
	}
	v, ok := parseVersion(f)
	if !ok {
		return Version{}, Version{}, false
	}
	hi = maxVersion
	switch op {
	case ">=":
		lo = v
	case ">":
		lo = next(v)
	case "<":
		hi = v
	case "<=":
		hi = next(v)
	case "^":
		lo = v
		switch {
		case v.Major > 0:
			hi = Version{v.Major + 1, 0, 0}
		case v.Minor > 0:
			hi = Version{0, v.Minor + 1, 0}
		default:
			hi = Version{0, 0, v.Patch + 1}
		}
	case "~":
		lo = v
		hi = Version{v.Major, v.Minor + 1, 0}
	default:
		lo = v
		hi = next(v)
		if strings.Count(f, ".") < 2 || strings.ContainsAny(f, "xX*") {
			hi = Version{v.Major, v.Minor + 1, 0}
		}
	}
	return lo, hi, true
}

// MinVersion returns the lowest version admitted by c, or the zero Version
// when c is unknown or unsatisfiable.
func (c VersionConstraint) MinVersion() Version {
	var best Version
	found := false
	for _, r := range c.ranges {
		if !r.Lo.Less(r.Hi) {
			continue
		}
		if !found || r.Lo.Less(best) {
			best, found = r.Lo, true
		}
	}
	return best
}

// Allows reports whether version v satisfies c. An unknown constraint
// allows every version.
func (c VersionConstraint) Allows(v Version) bool {
	if !c.Known {
		return true
	}
	for _, r := range c.ranges {
		if !v.Less(r.Lo) && v.Less(r.Hi) {
			return true
		}
	}
	return false
}

// AllowsBelow reports whether c admits some version lower than
// major.minor.patch. An unknown constraint (missing pragma) conservatively
// allows every version, so AllowsBelow returns true.
func (c VersionConstraint) AllowsBelow(major, minor, patch int) bool {
	if !c.Known {
		return true
	}
	v := Version{major, minor, patch}
	for _, r := range c.ranges {
		if r.Lo.Less(r.Hi) && r.Lo.Less(v) {
			return true
		}
	}
	return false
}

// AllowsAtLeast reports whether c admits some version at or above
// major.minor.patch. An unknown constraint returns true.
func (c VersionConstraint) AllowsAtLeast(major, minor, patch int) bool {
	if !c.Known {
		return true
	}
	v := Version{major, minor, patch}
	for _, r := range c.ranges {
		if r.Lo.Less(r.Hi) && v.Less(r.Hi) {
			return true
		}
	}
	return false
}
