package uncheckedmath

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports caller-controlled arithmetic in unchecked blocks.
var Analyzer = &analysis.Analyzer{
	Name:  "unchecked-arithmetic",
	Title: "Caller-controlled arithmetic in unchecked block",
	Doc: analysis.Doc{
		Summary: "Arithmetic inside an unchecked block wraps around instead of reverting. An operand " +
			"chosen by the caller and not bounded by a check can overflow or underflow.",
		Exploit: "A gas-optimised token does `unchecked { balances[from] -= amount; }` without comparing " +
			"amount to the balance; transferring more than the balance underflows it to a huge value.",
		Recommendation: "Only use unchecked for operations proven safe by a preceding check (and keep the " +
			"check next to it); otherwise remove the unchecked block.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryArithmetic,
	SWC:        "SWC-101",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, fn := range flowutil.Functions(m) {
		if fn.File == nil || !fn.File.SolidityAtLeast08() || flowutil.InLibrary(fn) {
			continue
		}
		var conds []ast.Expr
		for _, a := range flowutil.ArithSites(fn) {
			if !a.Unchecked || counterStep(m, a) {
				continue
			}
			t := flowutil.TaintedOperands(m, fn, a)
			if len(t) == 0 {
				continue
			}
			if conds == nil {
				conds = flowutil.Conditions(fn)
			}
			if flowutil.ArithGuarded(m, fn, a, t, conds) {
				continue
			}
			pass.Reportf(a.Node, "unchecked %s on caller-controlled %s can wrap around", a.OpString(), flowutil.Text(fn.File, t[0]))
		}
	}
	return nil, nil
}

// counterStep reports `i += 1` / `i + 1` on a local counter.
func counterStep(m *sema.Model, a flowutil.ArithSite) bool {
	if flowutil.LocalVar(m, a.X) == nil {
		return false
	}
	l, ok := ast.Unparen(a.Y).(*ast.Literal)
	return ok && l.Value == "1"
}
