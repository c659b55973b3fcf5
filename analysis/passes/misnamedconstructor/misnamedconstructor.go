package misnamedconstructor

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports misnamed constructors.
var Analyzer = &analysis.Analyzer{
	Name:  "misnamed-constructor",
	Title: "Misnamed constructor",
	Doc: analysis.Doc{
		Summary: "A function intended as the constructor (pre-0.4.22 naming) does not match the " +
			"contract name, so it is a public function anyone can call to reset the owner.",
		Exploit: "Rubixi was renamed from DynamicPyramid but kept `function DynamicPyramid() { creator = " +
			"msg.sender; }`; attackers called it, became creator and collected the fees.",
		Recommendation: "Use the `constructor` keyword (Solidity >= 0.4.22) and compile with a recent " +
			"compiler.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryAccessControl,
	SWC:        "SWC-118",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	called := map[*sema.Function]bool{}
	for _, fn := range m.Functions {
		for _, cs := range fn.Calls() {
			if cs.Callee != nil {
				called[cs.Callee] = true
			}
		}
	}
	rep := authutil.NewReporter(pass)
	for _, c := range m.Contracts {
		if c.IsInterface() || c.IsLibrary() {
			continue
		}
		for _, fn := range c.Functions {
			if fn.Kind != ast.FuncNormal || fn.Name == "" || fn.IsOldConstructor || !fn.IsPubliclyReachable() || !fn.Implemented() {
				continue
			}
			if fn.NamedLikeContract {
				rep.Report(fn, authutil.HeaderNode(fn), 0, "%s is named like contract %s but is not its constructor in this Solidity version", fn.Name, c.Name)
				continue
			}
			if !fn.File.Pragma.AllowsBelow(0, 5, 0) {
				continue
			}
			switch {
			case strings.EqualFold(fn.Name, c.Name):
				rep.Report(fn, authutil.HeaderNode(fn), 0, "%s differs from contract name %s only in case: it is a public function, not the constructor", fn.Name, c.Name)
			case fn.Name == "Constructor":
				rep.Report(fn, authutil.HeaderNode(fn), 0, "%s is a public function, not the constructor of %s", fn.Name, c.Name)
			case len(c.Name) >= 5 && distance(strings.ToLower(fn.Name), strings.ToLower(c.Name)) <= 2:
				rep.Report(fn, authutil.HeaderNode(fn), 0, "%s looks like a misspelled constructor of %s: it is a public function", fn.Name, c.Name)
			case leftover(m, fn, called):
				rep.Report(fn, authutil.HeaderNode(fn), 0, "%s looks like the constructor of a renamed contract (it sets %s to msg.sender): anyone can call it", fn.Name, ownerSet(m, fn))
			}
		}
	}
	return nil, nil
}

// leftover reports the Rubixi pattern: a capitalized, parameterless or
// near-parameterless public function, never called, without a guard, that
// assigns msg.sender to an ownership variable.
func leftover(m *sema.Model, fn *sema.Function, called map[*sema.Function]bool) bool {
	if called[fn] || len(fn.Name) < 3 || fn.Name[0] < 'A' || fn.Name[0] > 'Z' || authutil.Protected(fn) {
		return false
	}
	if strings.ToUpper(fn.Name) == fn.Name {
		return false // CONSTANT_STYLE, not a contract name
	}
	return ownerSet(m, fn) != ""
}

// ownerSet returns the ownership variable fn sets to msg.sender, or "".
func ownerSet(m *sema.Model, fn *sema.Function) string {
	for lhs, as := range authutil.Assignments(fn.Def.Body) {
		if as.Op != lexer.Assign || !authutil.IsSender(as.RHS) {
			continue
		}
		if v := authutil.StateRoot(m, lhs); v != nil && len(authutil.Indices(lhs)) == 0 && authutil.OwnerLikeName(v.Name) {
			return v.Name
		}
	}
	return ""
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
