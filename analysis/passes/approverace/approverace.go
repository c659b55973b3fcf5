package approverace

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports ERC-20 approve race conditions.
var Analyzer = &analysis.Analyzer{
	Name:  "erc20-approve-race",
	Title: "ERC-20 approve race condition",
	Doc: analysis.Doc{
		Summary: "approve overwrites the allowance without requiring it to be zero first, so a " +
			"spender can front-run an allowance change and spend both the old and the new amount.",
		Exploit: "Alice lowers Bob's allowance from 100 to 50. Bob sees the pending approve, front-runs " +
			"it with transferFrom(alice, bob, 100), then spends the new 50: 150 in total.",
		Recommendation: "Offer increaseAllowance/decreaseAllowance, or require `value == 0 || " +
			"allowance[msg.sender][spender] == 0` in approve; integrators should set the allowance to 0 first.",
	},
	Severity:   analysis.Low,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryFrontRunning,
	SWC:        "SWC-114",
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
		if fn.Name != "approve" || len(fn.Params) != 2 || !fn.IsPubliclyReachable() || !fn.Implemented() || authutil.TestCode(fn) {
			continue
		}
		if fn.Params[0].Type == nil || !fn.Params[0].Type.IsAddress() {
			continue
		}
		if !writesAllowance(fn) || zeroCheck(m, fn) {
			continue
		}
		rep.Report(fn, authutil.HeaderNode(fn), 0, "approve overwrites the allowance: spender can front-run the change and spend both amounts")
	}
	return nil, nil
}

// writesAllowance reports a (transitive) write of a nested allowance
// mapping.
func writesAllowance(fn *sema.Function) bool {
	for _, v := range fn.TransitiveStateWrites() {
		l := strings.ToLower(v.Name)
		if (strings.Contains(l, "allow") || strings.Contains(l, "approv")) && v.Type != nil && v.Type.Kind == sema.TypeMapping &&
			v.Type.Elem != nil && v.Type.Elem.Kind == sema.TypeMapping {
			return true
		}
	}
	return false
}

// zeroCheck reports a condition in approve (or its callees) comparing the
// value or the current allowance with zero.
func zeroCheck(m *sema.Model, fn *sema.Function) bool {
	bodies := []*sema.Function{fn}
	bodies = append(bodies, fn.Callees()...)
	for _, f := range bodies {
		if f.Def.Body == nil {
			continue
		}
		for _, c := range f.Conditions() {
			if ast.Contains(c, func(n ast.Node) bool {
				b, ok := n.(*ast.BinaryExpr)
				if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
					return false
				}
				return isZero(b.X) && !isAddr(m, b.Y) || isZero(b.Y) && !isAddr(m, b.X)
			}) {
				return true
			}
		}
	}
	return false
}

func isZero(e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.Literal)
	return ok && lit.Value == "0"
}

// isAddr reports an address-typed expression (zero-address checks do not
// count).
func isAddr(m *sema.Model, e ast.Expr) bool {
	t := m.TypeOf(ast.Unparen(e))
	return t != nil && t.IsAddressLike()
}
