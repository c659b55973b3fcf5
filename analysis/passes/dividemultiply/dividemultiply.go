package dividemultiply

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports multiplications performed on the result of a division.
var Analyzer = &analysis.Analyzer{
	Name:  "divide-before-multiply",
	Title: "Division before multiplication",
	Doc: analysis.Doc{
		Summary: "An integer division is performed before a multiplication. Division truncates, so " +
			"multiplying its result amplifies the rounding error (or multiplies zero).",
		Exploit: "`fee = (amount / 10000) * feeBps` charges no fee on any amount below 10000 units; " +
			"splitting a large transfer into small ones avoids the fee entirely.",
		Recommendation: "Multiply first and divide last (`amount * feeBps / 10000`), or use a " +
			"full-precision mulDiv.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryArithmetic,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	for _, fn := range flowutil.Functions(m) {
		if flowutil.InLibrary(fn) || authutil.TestCode(fn) {
			continue
		}
		flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BinaryExpr:
				if x.Op != lexer.Mul {
					return true
				}
				if d := division(m, fn, x.X); d != nil && lossy(m, fn, d, x.Y) {
					report(rep, fn, x, d, x.Y)
				} else if d := division(m, fn, x.Y); d != nil && lossy(m, fn, d, x.X) {
					report(rep, fn, x, d, x.X)
				}
			case *ast.AssignExpr:
				if x.Op != lexer.AssignMul {
					return true
				}
				if d := division(m, fn, x.RHS); d != nil && lossy(m, fn, d, x.LHS) {
					report(rep, fn, x, d, x.LHS)
				} else if d := division(m, fn, x.LHS); d != nil && lossy(m, fn, d, x.RHS) {
					report(rep, fn, x, d, x.RHS)
				}
			}
			return true
		})
	}
	return nil, nil
}

// report reports the multiplication at of division d by other.
func report(rep *authutil.Reporter, fn *sema.Function, at ast.Node, d *ast.BinaryExpr, other ast.Expr) {
	rep.Report(fn, at, 0, "divide before multiply: %s truncates before it is multiplied by %s",
		flowutil.Text(fn.File, d), flowutil.Text(fn.File, other))
}

// division returns the division e evaluates to: e itself (through
// parentheses and conversions), or the single value assigned to the local
// variable e names (`x = a / b` or `x /= b`).
func division(m *sema.Model, fn *sema.Function, e ast.Expr) *ast.BinaryExpr {
	e = flowutil.Unconvert(e)
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == lexer.Div {
		return b
	}
	v := flowutil.LocalVar(m, e)
	if v == nil || v.Kind == sema.VarParam || !v.Type.IsInteger() {
		return nil
	}
	if init := flowutil.LocalInit(m, fn, v); init != nil {
		if b, ok := flowutil.Unconvert(init).(*ast.BinaryExpr); ok && b.Op == lexer.Div {
			return b
		}
	}
	return nil
}

// lossy reports whether multiplying division d by other loses precision
// worth reporting: not constant-only math and not the rounding idiom
// (a / b) * b.
func lossy(m *sema.Model, fn *sema.Function, d *ast.BinaryExpr, other ast.Expr) bool {
	if flowutil.IsLiteral(m, d.X) && flowutil.IsLiteral(m, d.Y) {
		return false
	}
	if flowutil.Text(fn.File, flowutil.Unconvert(d.Y)) == flowutil.Text(fn.File, flowutil.Unconvert(other)) {
		return false
	}
	if b, ok := flowutil.Unconvert(d.Y).(*ast.BinaryExpr); ok && b.Op == lexer.Mul {
		// (a / (b * c)) * c: a rounding to multiples of the divisor part.
		t := flowutil.Text(fn.File, flowutil.Unconvert(other))
		if flowutil.Text(fn.File, b.X) == t || flowutil.Text(fn.File, b.Y) == t {
			return false
		}
	}
	return true
}
