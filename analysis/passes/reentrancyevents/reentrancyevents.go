package reentrancyevents

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports events emitted after an external call.
var Analyzer = &analysis.Analyzer{
	Name:  "reentrancy-events",
	Title: "Event emitted after an external call",
	Doc: analysis.Doc{
		Summary: "An event is emitted after an external call that can re-enter. A re-entering callee " +
			"makes the events appear out of order, which misleads indexers and monitoring.",
		Exploit: "withdraw() pays the caller and then emits Withdrawn. The caller re-enters and the log " +
			"shows two Withdrawn events whose order and balances do not match the state changes, hiding " +
			"the attack from an off-chain monitor.",
		Recommendation: "Emit events before external calls (checks-effects-interactions) or guard the " +
			"function with a reentrancy lock.",
	},
	Severity:   analysis.Low,
	Confidence: analysis.ConfidenceMedium,
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
	for _, fn := range flowutil.Functions(m) {
		if !fn.IsPubliclyReachable() || fn.IsView() || fn.Guards().Reentrancy || fn.CFG() == nil {
			continue
		}
		var calls []*sema.CallSite
		for _, cs := range fn.Calls() {
			if cs.Node == nil {
				continue
			}
			if flowutil.CanReenter(cs) {
				calls = append(calls, cs)
				continue
			}
			if (cs.Kind == sema.CallInternal || cs.Kind == sema.CallLibrary) && cs.Callee != nil && !cs.IsExternal() {
				if ext, ok := cs.Callee.MakesExternalCall(); ok && flowutil.CanReenter(ext) {
					calls = append(calls, cs)
				}
			}
		}
		if len(calls) == 0 {
			continue
		}
		g := fn.CFG()
		flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
			var ev ast.Node
			switch s := n.(type) {
			case *ast.EmitStmt:
				ev = s
			case *ast.ExprStmt:
				if c, ok := s.X.(*ast.CallExpr); ok {
					if id, ok := c.Fun.(*ast.Ident); ok && m.Ref(id).Kind == sema.SymEvent {
						ev = s
					}
				}
			}
			if ev == nil {
				return true
			}
			for _, cs := range calls {
				if g.Path(cs.Node, ev) {
					pass.Reportf(ev, "event emitted after external call %s; a re-entering callee reorders events",
						callName(cs))
					break
				}
			}
			return false
		})
	}
	return nil, nil
}

func callName(cs *sema.CallSite) string {
	if cs.Method != "" {
		return cs.Method
	}
	return cs.Kind.String()
}
