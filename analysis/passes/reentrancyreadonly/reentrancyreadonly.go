package reentrancyreadonly

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports view functions whose values are stale during an
// external call of a guarded state-changing function.
var Analyzer = &analysis.Analyzer{
	Name:  "reentrancy-read-only",
	Title: "Read-only reentrancy",
	Doc: analysis.Doc{
		Summary: "A guarded function makes an external call before updating state that a public view " +
			"function uses to compute a price or share value. During the call the view returns an " +
			"inconsistent value, and protocols that consume it can be exploited.",
		Exploit: "remove_liquidity() sends ETH to the caller before burning LP supply; get_virtual_price() " +
			"divides the pool balance by the supply. In its receive() the attacker borrows from a lending " +
			"market that prices the LP token with get_virtual_price(), which is inflated at that moment " +
			"(Curve read-only reentrancy, 2022).",
		Recommendation: "Update state before the external call, or make the view functions revert while " +
			"the reentrancy lock is held (check the lock in the view).",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceLow,
	Category:   analysis.CategoryReentrancy,
	SWC:        "SWC-107",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	var rep flowutil.Reporter
	for _, r := range flowutil.Reentrancies(m, true) {
		if !r.Fn.Guards().Reentrancy || (!flowutil.SendsETH(r.Call) && r.Call.Callback != sema.CallbackCertain) {
			continue
		}
		var view *sema.Function
		var stale *sema.Var
	vars:
		for _, v := range r.Vars {
			for _, c := range flowutil.ContractsWith(m, r.Fn) {
				for _, g := range c.PublicFunctions() {
					if !g.IsView() || !g.Implemented() || len(g.Returns) == 0 || !flowutil.ReadsVar(g, v) {
						continue
					}
					if g.Guards().Reentrancy || readsLock(g) || !computes(g) {
						continue
					}
					view, stale = g, v
					break vars
				}
			}
		}
		if view == nil {
			continue
		}
		n := r.Node
		if !rep.First(n) {
			continue
		}
		pass.Reportf(n, "read-only reentrancy: %s is updated after this call in %s, so view %s returns a stale value during it",
			stale.Name, r.Fn.String(), view.String())
	}
	return nil, nil
}

// readsLock reports whether g reads a reentrancy lock variable.
func readsLock(g *sema.Function) bool {
	for _, v := range g.TransitiveStateReads() {
		switch v.Name {
		case "locked", "_locked", "unlocked", "_status", "_notEntered", "lock", "_lock", "entered", "_entered":
			return true
		}
	}
	return false
}

// computes reports whether g or an internal callee divides or multiplies:
// the view derives a rate or price rather than returning a raw field.
func computes(g *sema.Function) bool {
	fns := append([]*sema.Function{g}, g.Callees()...)
	for _, f := range fns {
		if f.Def == nil || f.Def.Body == nil {
			continue
		}
		found := false
		flowutil.Inspect(f.Def.Body, func(n ast.Node) bool {
			if b, ok := n.(*ast.BinaryExpr); ok && (b.Op == lexer.Div || b.Op == lexer.Mul) {
				found = true
			}
			if cs, ok := n.(*ast.CallExpr); ok {
				if me, ok := cs.Fun.(*ast.MemberExpr); ok && me.Member != nil {
					switch me.Member.Name {
					case "mulDiv", "div", "mul", "mulDivDown", "mulDivUp", "divWadDown", "mulWadDown":
						found = true
					}
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}
