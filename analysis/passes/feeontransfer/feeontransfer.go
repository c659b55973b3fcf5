package feeontransfer

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports deposits that assume the full amount arrives.
var Analyzer = &analysis.Analyzer{
	Name:  "fee-on-transfer-assumption",
	Title: "Deposit credits the requested, not the received, amount",
	Doc: analysis.Doc{
		Summary: "Tokens are pulled with transferFrom(user, this, amount) and `amount` is credited " +
			"to the user, without measuring the balance actually received. Fee-on-transfer, " +
			"deflationary and rebasing tokens deliver less than `amount`, so the books overstate " +
			"the contract's holdings.",
		Exploit: "A pool lists a token that burns 1% per transfer. The attacker deposits 100 " +
			"tokens (the pool receives 99 but credits 100) and withdraws 100, repeating until the " +
			"pool's balance is drained; the remaining depositors cannot withdraw (Balancer STA " +
			"pool, June 2020).",
		Recommendation: "Credit the measured difference: read balanceOf(address(this)) before and " +
			"after the transfer and use the delta, or reject fee-on-transfer tokens explicitly.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryToken,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, fn := range m.Functions {
		if !fn.Implemented() || fn.Contract == nil || fn.Contract.IsLibrary() {
			continue
		}
		var pulls []*sema.CallSite
		for _, cs := range fn.Calls() {
			if amt := pulledAmount(cs); amt != nil {
				pulls = append(pulls, cs)
			}
		}
		if len(pulls) == 0 || measures(fn) {
			continue
		}
		for _, cs := range pulls {
			v := defiutil.VarOfIdent(m, pulledAmount(cs))
			if v == nil || v.Kind == sema.VarState {
				continue
			}
			if credited(m, fn, v, 0) {
				pass.Reportf(cs.Expr, "%s pulls %s and credits the same %s without measuring the balance received: fee-on-transfer or rebasing tokens are over-credited", cs.Method, v.Name, v.Name)
			}
		}
	}
	return nil, nil
}

// pulledAmount returns the amount of a transferFrom to address(this), or
// nil if cs is not one.
func pulledAmount(cs *sema.CallSite) ast.Expr {
	if cs.Expr == nil || cs.Method != "transferFrom" && cs.Method != "safeTransferFrom" {
		return nil
	}
	args := cs.Args
	switch len(args) {
	case 3:
		if defiutil.IsThis(args[1]) {
			return args[2]
		}
	case 4:
		if defiutil.IsThis(args[2]) {
			return args[3]
		}
	}
	return nil
}

// measures reports a balanceOf(address(this)) read in fn or its callees.
func measures(fn *sema.Function) bool {
	for _, b := range append([]*sema.Function{fn}, fn.Callees()...) {
		for _, cs := range b.Calls() {
			if cs.Method == "balanceOf" && len(cs.Args) == 1 && defiutil.IsThis(cs.Args[0]) {
				return true
			}
		}
	}
	return false
}

// credited reports whether fn adds v to a state variable, directly or
// through an internal call (up to two levels).
func credited(m *sema.Model, fn *sema.Function, v *sema.Var, depth int) bool {
	found := false
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignExpr:
			if (n.Op == lexer.AssignAdd || n.Op == lexer.Assign && isAdd(n.RHS)) && defiutil.StateRoot(m, n.LHS) != nil && usesVar(m, n.RHS, v) {
				found = true
			}
		case *ast.CallExpr:
			cs := m.CallSiteOf(n)
			if depth < 2 && cs != nil && cs.Kind == sema.CallInternal && cs.Callee != nil && cs.Callee.Implemented() {
				for i, a := range cs.Args {
					if i < len(cs.Callee.Params) && defiutil.VarOfIdent(m, a) == v && credited(m, cs.Callee, cs.Callee.Params[i], depth+1) {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

func isAdd(e ast.Expr) bool {
	b, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if ok && b.Op == lexer.Add {
		return true
	}
	ce, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && defiutil.CallName(ce) == "add"
}

// usesVar reports whether e is v or adds v (v, x + v, x.add(v)).
func usesVar(m *sema.Model, e ast.Expr, v *sema.Var) bool {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.Ident:
		return defiutil.VarOfIdent(m, x) == v
	case *ast.BinaryExpr:
		return x.Op == lexer.Add && (usesVar(m, x.X, v) || usesVar(m, x.Y, v))
	case *ast.CallExpr:
		if defiutil.CallName(x) == "add" {
			for _, a := range x.Args {
				if usesVar(m, a, v) {
					return true
				}
			}
		}
	}
	return false
}
