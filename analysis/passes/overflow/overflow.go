package overflow

import (
	"slices"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
)

// Analyzer reports unguarded arithmetic on caller-controlled values in
// pre-0.8 code.
var Analyzer = &analysis.Analyzer{
	Name:  "integer-overflow",
	Title: "Integer overflow or underflow",
	Doc: analysis.Doc{
		Summary: "Arithmetic in pre-0.8 Solidity wraps around silently. An addition, subtraction or " +
			"multiplication on a caller-chosen value without a bounds check or SafeMath can overflow or " +
			"underflow and corrupt balances.",
		Exploit: "transfer(to, value) does `balances[msg.sender] -= value` without checking the balance. " +
			"An account with 0 tokens transfers 1 token; its balance underflows to 2^256-1 and it owns " +
			"the supply (BeautyChain batchTransfer, 2018: `cnt * _value` overflowed to 0).",
		Recommendation: "Use SafeMath (add/sub/mul) or Solidity >= 0.8 checked arithmetic, and check " +
			"balances before subtracting.",
	},
	Severity:   analysis.High,
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
		if fn.File == nil || !fn.File.Pragma.Known || fn.File.SolidityAtLeast08() || flowutil.InLibrary(fn) {
			continue
		}
		// A view or pure function changes nothing: a wrapped result is a
		// wrong answer to its caller, not a corrupted balance.
		if fn.IsView() {
			continue
		}
		sites := flowutil.ArithSites(fn)
		if len(sites) == 0 {
			continue
		}
		conds := flowutil.Conditions(fn)
		for _, a := range sites {
			t := flowutil.TaintedOperands(m, fn, a)
			t = slices.DeleteFunc(t, func(e ast.Expr) bool { return flowutil.TrustedInput(m, fn, e) })
			if len(t) == 0 || flowutil.ArithGuarded(m, fn, a, t, conds) {
				continue
			}
			kind := "overflow"
			if a.OpString() == "-" {
				kind = "underflow"
			}
			if fn.File.Pragma.AllowsAtLeast(0, 8, 0) {
				// `>=0.6.2 <0.9.0`: the arithmetic is unchecked only if a
				// pre-0.8 compiler the range admits is chosen.
				pass.ReportSeverityf(a.Node, analysis.Medium, "integer %s: %s on caller-controlled %s has no bounds check and is unchecked under the pre-0.8 compilers the pragma %q admits",
					kind, a.OpString(), flowutil.Text(fn.File, t[0]), fn.File.Pragma.Raw)
				continue
			}
			pass.Reportf(a.Node, "integer %s: unchecked %s on caller-controlled %s (pre-0.8, no SafeMath or bounds check)",
				kind, a.OpString(), flowutil.Text(fn.File, t[0]))
		}
	}
	return nil, nil
}
