package timestampdep

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports timestamp-dependent decisions.
var Analyzer = &analysis.Analyzer{
	Name:  "timestamp-dependence",
	Title: "Decision depends on block.timestamp",
	Doc: analysis.Doc{
		Summary: "block.timestamp (now) is used in a strict equality, a modulo condition or a payout " +
			"decision; the block producer can shift it by several seconds to choose the outcome.",
		Exploit: "A roulette pays the pot when `now % 15 == 0`. A validator sets the timestamp of its " +
			"block to a multiple of 15 and includes its own bet first.",
		Recommendation: "Do not use the timestamp as a source of chance or exact equality; use >= " +
			"windows wide enough to tolerate drift, block numbers for ordering, or a randomness oracle.",
	},
	Severity:   analysis.Low,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryRandomness,
	SWC:        "SWC-116",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	for _, fn := range m.Functions {
		if !fn.Implemented() || authutil.TestCode(fn) {
			continue
		}
		ts := func(e ast.Node) bool {
			return ast.Contains(e, authutil.IsTimestamp) || timeLocal(m, fn, e)
		}
		for _, c := range fn.Conditions() {
			if ast.Contains(c, authutil.IsHashCall) {
				continue // randomness, reported by weak-randomness
			}
			ast.Inspect(c, func(n ast.Node) bool {
				b, ok := n.(*ast.BinaryExpr)
				if !ok {
					return true
				}
				switch {
				case b.Op == lexer.Mod && ts(b.X) && !unit(b.Y):
					rep.Report(fn, c, analysis.Medium, "block.timestamp modulo decides the outcome in %s", fn.String())
				case (b.Op == lexer.Eq || b.Op == lexer.Ne) && (ts(b.X) || ts(b.Y)) && !zero(b.X) && !zero(b.Y):
					rep.Report(fn, c, 0, "strict comparison with block.timestamp in %s", fn.String())
				}
				return true
			})
		}
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			is, ok := n.(*ast.IfStmt)
			if ok && is.Cond != nil && ts(is.Cond) && !ast.Contains(is.Cond, authutil.IsHashCall) && (pays(m, is.Then) || pays(m, is.Else)) {
				rep.Report(fn, is.Cond, 0, "block.timestamp decides a payout in %s", fn.String())
			}
			return true
		})
	}
	return nil, nil
}

// timeLocal reports a local variable or state variable assigned from the
// timestamp (`pastBlockTime = now`) used in e.
func timeLocal(m *sema.Model, fn *sema.Function, e ast.Node) bool {
	return ast.Contains(e, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return false
		}
		v := m.Ref(id).Var
		if v == nil || v.Kind != sema.VarLocal {
			return false
		}
		return ast.Contains(fn.Def.Body, func(d ast.Node) bool {
			ds, ok := d.(*ast.VarDeclStmt)
			return ok && len(ds.Decls) == 1 && ds.Decls[0] == v.Decl && ds.Value != nil && authutil.IsTimestamp(authutil.Unconvert(ds.Value))
		})
	})
}

// pays reports a statement that sends Ether or tokens.
func pays(m *sema.Model, s ast.Stmt) bool {
	if s == nil {
		return false
	}
	return ast.Contains(s, func(n ast.Node) bool {
		ce, ok := n.(*ast.CallExpr)
		if !ok {
			return false
		}
		cs := m.CallSiteOf(ce)
		if cs == nil {
			return false
		}
		switch cs.Kind {
		case sema.CallTransfer, sema.CallSend:
			return true
		case sema.CallLowLevel:
			return cs.Value != nil
		case sema.CallHighLevel, sema.CallLibrary:
			return cs.Method == "transfer" || cs.Method == "safeTransfer" || cs.Method == "sendValue"
		}
		return false
	})
}

func zero(e ast.Expr) bool {
	lit, ok := authutil.Unconvert(e).(*ast.Literal)
	return ok && lit.Value == "0"
}

func unit(e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.Literal)
	return ok && lit.Unit != "" && lit.Unit != "wei" && lit.Unit != "ether"
}
