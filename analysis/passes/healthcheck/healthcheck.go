package healthcheck

import (
	"regexp"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports position-weakening functions without a health check.
var Analyzer = &analysis.Analyzer{
	Name:  "missing-health-check",
	Title: "Position weakened without a solvency check",
	Doc: analysis.Doc{
		Summary: "A function of a lending contract reduces an account's collateral or balance, " +
			"or increases its debt, without the health/solvency check that the contract's other " +
			"value-moving functions perform. The account can be left undercollateralized.",
		Exploit: "Euler Finance (March 2023): donateToReserves burned the caller's eTokens " +
			"without checkLiquidity. The attacker minted leveraged eTokens/dTokens, donated " +
			"eTokens to make the position insolvent, then liquidated it from a second account at " +
			"a discount, walking away with $197M.",
		Recommendation: "Call the same health check (checkLiquidity / _checkHealth / " +
			"borrowAllowed) at the end of every function that reduces collateral or increases " +
			"debt, or funnel all such changes through one internal function that performs it.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceLow,
	Category:   analysis.CategoryDeFi,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var (
	checkName  = regexp.MustCompile(`(?i)health|solven|checkliquidity|accountliquidity|borrowlimit|collateraliz|allowed$|checkposition|_?check(collateral|borrow|account|ltv)|isliquidatable|requirehealthy`)
	collName   = regexp.MustCompile(`(?i)collateral|balance|deposit|suppl`)
	debtName   = regexp.MustCompile(`(?i)debt|borrow`)
	lendingVar = regexp.MustCompile(`(?i)collateral|debt|borrow`)
)

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	reported := make(map[*sema.Function]bool)
	for _, c := range m.Contracts {
		if c.Kind != ast.KindContract {
			continue
		}
		lending := false
		for _, v := range c.AllStateVars() {
			if lendingVar.MatchString(v.Name) && v.Type != nil && v.Type.Kind == sema.TypeMapping {
				lending = true
			}
		}
		if !lending {
			continue
		}
		fns := c.PublicFunctions()
		var checker *sema.Function
		var check string
		for _, fn := range fns {
			if fn.Implemented() && !fn.IsView() {
				if name := healthCall(fn); name != "" {
					checker, check = fn, name
					break
				}
			}
		}
		if checker == nil {
			continue
		}
		for _, fn := range fns {
			if !fn.Implemented() || fn.IsView() || reported[fn] || fn.Guards().AccessControl || healthCall(fn) != "" {
				continue
			}
			if what := weakens(m, fn); what != "" {
				reported[fn] = true
				at := ast.Node(fn.Def)
				if fn.Def.Name != nil {
					at = fn.Def.Name
				}
				pass.Reportf(at, "%s %s without the health check (%s) that %s performs: the account can be left insolvent", fn, what, check, checker)
			}
		}
	}
	return nil, nil
}

// healthCall returns the name of a health-check call reached from fn
// (body, internal callees, modifiers), or "".
func healthCall(fn *sema.Function) string {
	for _, b := range append([]*sema.Function{fn}, fn.Callees()...) {
		if b != fn && checkName.MatchString(b.Name) {
			return b.Name
		}
		for _, cs := range b.Calls() {
			if cs.Kind != sema.CallBuiltin && checkName.MatchString(cs.Method) {
				return cs.Method
			}
		}
	}
	return ""
}

// weakens describes how fn (or an internal callee) weakens a per-account
// position, or returns "".
func weakens(m *sema.Model, fn *sema.Function) string {
	for _, b := range append([]*sema.Function{fn}, fn.Callees()...) {
		if b.Def == nil || b.Def.Body == nil {
			continue
		}
		what := ""
		ast.Inspect(b.Def.Body, func(n ast.Node) bool {
			if what != "" || n == nil {
				return false
			}
			a, ok := n.(*ast.AssignExpr)
			if !ok {
				return true
			}
			if _, indexed := ast.Unparen(a.LHS).(*ast.IndexExpr); !indexed {
				return true
			}
			v := defiutil.StateRoot(m, a.LHS)
			if v == nil || strings.HasPrefix(strings.ToLower(v.Name), "total") {
				return true
			}
			dec := a.Op == lexer.AssignSub || a.Op == lexer.Assign && isSub(a.RHS)
			inc := a.Op == lexer.AssignAdd || a.Op == lexer.Assign && isAdd(a.RHS)
			switch {
			case debtName.MatchString(v.Name) && inc:
				what = "increases " + v.Name
			case collName.MatchString(v.Name) && !debtName.MatchString(v.Name) && dec:
				what = "decreases " + v.Name
			}
			return what == ""
		})
		if what != "" {
			return what
		}
	}
	return ""
}

func isSub(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		return x.Op == lexer.Sub
	case *ast.CallExpr:
		return defiutil.CallName(x) == "sub"
	}
	return false
}

func isAdd(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		return x.Op == lexer.Add
	case *ast.CallExpr:
		return defiutil.CallName(x) == "add"
	}
	return false
}
