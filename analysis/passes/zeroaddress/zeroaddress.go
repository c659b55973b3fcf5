package zeroaddress

import (
	"regexp"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports privileged addresses set without a zero check.
var Analyzer = &analysis.Analyzer{
	Name:  "missing-zero-address-check",
	Title: "Privileged address set without a zero-address check",
	Doc: analysis.Doc{
		Summary: "A constructor or setter stores an address parameter into a privileged state " +
			"variable (owner, admin, treasury, oracle, implementation) without checking that it " +
			"is not the zero address.",
		Exploit: "An operator calls setTreasury(address(0)) by mistake (an empty form field " +
			"encoded as zero). All protocol fees are sent to the zero address and burned until " +
			"governance notices and passes a fix days later.",
		Recommendation: "Add `require(p != address(0))` (or a custom ZeroAddress error) before " +
			"storing the parameter.",
	},
	Severity:   analysis.Low,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryDataValidation,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var (
	privileged = regexp.MustCompile(`(?i)owner|admin|governance|governor|guardian|treasury|feeto|feerecipient|oracle|feed|implementation|router|vault|keeper|minter|operator|signer|beneficiary|controller|manager`)
	// pending roles are legitimately reset to zero (cancelling a transfer).
	pending   = regexp.MustCompile(`(?i)pending`)
	validator = regexp.MustCompile(`(?i)zero|valid|check|require|nonzero`)
)

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, fn := range m.Functions {
		if !fn.Implemented() || fn.Contract == nil || fn.IsView() {
			continue
		}
		if fn.Kind != ast.FuncConstructor && !fn.IsPubliclyReachable() {
			continue
		}
		params := map[*sema.Var]bool{}
		for _, p := range fn.Params {
			if p.Type != nil && p.Type.IsAddressLike() {
				params[p] = true
			}
		}
		if len(params) == 0 {
			continue
		}
		checked := checkedParams(m, fn)
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			a, ok := n.(*ast.AssignExpr)
			if !ok || a.Op != lexer.Assign {
				return n != nil
			}
			sv := defiutil.VarOfIdent(m, a.LHS)
			if sv == nil || sv.Kind != sema.VarState || !privileged.MatchString(sv.Name) || pending.MatchString(sv.Name) {
				return true
			}
			p := defiutil.VarOfIdent(m, defiutil.Unconvert(a.RHS))
			if p == nil || !params[p] || checked[p] {
				return true
			}
			checked[p] = true // report each parameter once
			pass.Reportf(a, "%s stores %s into %s without checking it against address(0)", fn, p.Name, sv)
			return true
		})
	}
	return nil, nil
}

// checkedParams returns the variables mentioned in a condition of fn (or
// of its modifiers) or passed to a validation helper.
func checkedParams(m *sema.Model, fn *sema.Function) map[*sema.Var]bool {
	out := map[*sema.Var]bool{}
	mark := func(n ast.Node) {
		ast.Inspect(n, func(x ast.Node) bool {
			if id, ok := x.(*ast.Ident); ok {
				if v := defiutil.VarOfIdent(m, id); v != nil {
					out[v] = true
				}
			}
			return x != nil
		})
	}
	for _, c := range fn.Conditions() {
		mark(c)
	}
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		if ce, ok := n.(*ast.CallExpr); ok && validator.MatchString(defiutil.CallName(ce)) {
			for _, a := range ce.Args {
				mark(a)
			}
		}
		return n != nil
	})
	for _, mc := range fn.Modifiers {
		if mc.Inv != nil && validator.MatchString(mc.Name) {
			for _, a := range mc.Inv.Args {
				mark(a)
			}
		}
	}
	return out
}
