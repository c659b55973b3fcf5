package pragma

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
)

// Analyzer reports floating pragmas and known-buggy compiler versions.
var Analyzer = &analysis.Analyzer{
	Name:  "pragma",
	Title: "Floating or known-buggy compiler version",
	Doc: analysis.Doc{
		Summary: "The Solidity version pragma is floating (^, >=, ranges) or pins a compiler " +
			"version with published bugs. Contracts may then be deployed with a compiler that " +
			"differs from the tested one or that miscompiles them.",
		Exploit: "A contract declares `pragma solidity ^0.8.13;` and is deployed with 0.8.13, " +
			"whose optimizer may drop storage writes before a conditional `return` in inline " +
			"assembly (StorageWriteRemovalBeforeConditionalTermination): a balance update is " +
			"silently lost.",
		Recommendation: "Pin the exact compiler version the contract was tested with " +
			"(`pragma solidity 0.8.24;`) and avoid versions listed in the Solidity bug list. " +
			"Floating pragmas are fine in libraries and interfaces meant for reuse.",
	},
	Severity:   analysis.Info,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryCompiler,
	SWC:        "SWC-103",
	Run:        run,
}

// version is a semantic compiler version.
type version struct{ major, minor, patch int }

func (v version) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

func (v version) less(w version) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	if v.minor != w.minor {
		return v.minor < w.minor
	}
	return v.patch < w.patch
}

// bug is a range of compiler versions affected by a published bug.
type bug struct {
	from, to version // inclusive
	name     string
	severity analysis.Severity
}

// knownBugs returns the embedded excerpt of the Solidity bug list
// (docs.soliditylang.org, "List of Known Bugs"): only bugs of medium or
// high impact that ordinary code can hit.
func knownBugs() []bug {
	return []bug{
		{version{0, 4, 0}, version{0, 4, 23}, "pre-0.4.24 compilers (many known bugs, e.g. ambiguous constructors, ExpExponentCleanup, DynamicArrayCleanup)", analysis.Medium},
		{version{0, 5, 8}, version{0, 8, 15}, "AbiReencodingHeadOverflowWithStaticArrayCleanup", analysis.Low},
		{version{0, 8, 13}, version{0, 8, 16}, "StorageWriteRemovalBeforeConditionalTermination", analysis.Medium},
		{version{0, 8, 13}, version{0, 8, 14}, "InlineAssemblyMemorySideEffects", analysis.Medium},
	}
}

func run(pass *analysis.Pass) (any, error) {
	for _, f := range pass.Files {
		reusable := onlyReusable(f.AST)
		for _, d := range f.AST.Decls {
			p, ok := d.(*ast.PragmaDirective)
			if !ok || p.Name == nil || p.Name.Name != "solidity" {
				continue
			}
			c := parseConstraint(p.Value)
			if !c.ok {
				continue
			}
			bugs := affecting(c.min)
			switch {
			case c.floating && !reusable:
				msg := fmt.Sprintf("floating pragma %q; pin the exact compiler version", p.Value)
				if len(bugs) > 0 {
					msg += fmt.Sprintf(" (it allows %s, affected by %s)", c.min, bugs[0].name)
				}
				pass.Reportf(p, "%s", msg)
			case !c.floating && len(bugs) > 0:
				fd := analysis.Finding{
					Severity: bugs[0].severity,
					Message:  fmt.Sprintf("compiler version %s has known bugs: %s", c.min, names(bugs)),
				}
				analysis.Locate(&fd, f, p.Span())
				pass.Report(fd)
			}
		}
	}
	return nil, nil
}

// affecting returns the bugs affecting v, most severe first.
func affecting(v version) []bug {
	var out []bug
	for _, b := range knownBugs() {
		if !v.less(b.from) && !b.to.less(v) {
			out = append(out, b)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].severity > out[j-1].severity; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func names(bugs []bug) string {
	s := make([]string, len(bugs))
	for i, b := range bugs {
		s[i] = b.name
	}
	return strings.Join(s, ", ")
}

// onlyReusable reports whether unit declares only libraries and interfaces
// (and at least one of them).
func onlyReusable(unit *ast.SourceUnit) bool {
	n := 0
	for _, d := range unit.Decls {
		if c, ok := d.(*ast.ContractDefinition); ok {
			if c.Kind == ast.KindContract {
				return false
			}
			n++
		}
	}
	return n > 0
}

// constraint summarizes a version constraint.
type constraint struct {
	ok       bool
	floating bool    // allows more than one version
	min      version // lowest allowed version
}

// parseConstraint parses a semver constraint such as "^0.8.0",
// ">=0.6.0 <0.9.0", "0.4.24" or "0.8.0 || ^0.8.10".
func parseConstraint(s string) constraint {
	var c constraint
	alts := strings.Split(s, "||")
	if len(alts) > 1 {
		c.floating = true
	}
	first := true
	for _, alt := range alts {
		fields := strings.Fields(normalize(alt))
		var lo version
		haveLo := false
		for _, f := range fields {
			op := strings.TrimRight(f, "0123456789.x*X")
			v, exact, ok := parseVersion(f[len(op):])
			if !ok {
				return constraint{}
			}
			switch op {
			case "", "=":
				if !exact || len(fields) > 1 {
					c.floating = true
				}
			case "^", "~", ">=", ">":
				c.floating = true
			case "<", "<=":
				c.floating = true
				continue
			default:
				return constraint{}
			}
			if !haveLo || lo.less(v) {
				lo, haveLo = v, true
			}
		}
		if !haveLo {
			lo = version{0, 0, 0}
		}
		if first || lo.less(c.min) {
			c.min = lo
			first = false
		}
	}
	c.ok = !first
	return c
}

// normalize removes spaces between an operator and its version.
func normalize(s string) string {
	for _, op := range []string{">=", "<=", "^", "~", ">", "<", "="} {
		s = strings.ReplaceAll(s, op+" ", op)
	}
	return s
}

// parseVersion parses "0.8", "0.8.19" or "0.8.x"; exact reports whether all
// three components are given.
func parseVersion(s string) (version, bool, bool) {
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return version{}, false, false
	}
	var nums [3]int
	exact := len(parts) == 3
	for i, p := range parts {
		if p == "x" || p == "X" || p == "*" {
			exact = false
			break
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return version{}, false, false
		}
		nums[i] = n
	}
	return version{nums[0], nums[1], nums[2]}, exact, true
}
