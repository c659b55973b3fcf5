package encodepacked

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports hashed abi.encodePacked calls with two or more
// dynamic-type arguments.
var Analyzer = &analysis.Analyzer{
	Name:  "encode-packed-collision",
	Title: "Hash collision with abi.encodePacked",
	Doc: analysis.Doc{
		Summary: "A hash is computed over abi.encodePacked of two or more dynamic-type values " +
			"(string, bytes, dynamic arrays). Packed encoding has no length prefixes, so different " +
			"inputs produce the same hash.",
		Exploit: "`keccak256(abi.encodePacked(admins, users))` signed by an operator for " +
			"([A], [B, C]) also verifies ([A, B], [C]): the attacker moves B into the admin list with " +
			"the same signature.",
		Recommendation: "Use abi.encode, which length-prefixes dynamic values, or pack at most one " +
			"dynamic value (hash the others first).",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategorySignature,
	SWC:        "SWC-133",
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
			if !authutil.IsHashCall(n) {
				return true
			}
			for _, a := range n.(*ast.CallExpr).Args {
				for _, d := range authutil.Definitions(m, fn, a) {
					pc := packed(d)
					if pc == nil {
						continue
					}
					if dyn := dynamicArgs(m, pc); len(dyn) >= 2 {
						rep.Report(fn, pc, 0, "abi.encodePacked hashes %d dynamic values (%s, %s) without length prefixes: different inputs collide",
							len(dyn), flowutil.Text(fn.File, dyn[0]), flowutil.Text(fn.File, dyn[1]))
					}
				}
			}
			return true
		})
	}
	return nil, nil
}

// packed returns e as an abi.encodePacked call, or nil.
func packed(e ast.Expr) *ast.CallExpr {
	ce, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || !ast.IsMember(ce.Fun, "abi", "encodePacked") {
		return nil
	}
	return ce
}

// dynamicArgs returns the non-literal arguments of dynamic type.
func dynamicArgs(m *sema.Model, ce *ast.CallExpr) []ast.Expr {
	var out []ast.Expr
	for _, a := range ce.Args {
		if _, lit := ast.Unparen(a).(*ast.Literal); lit {
			continue
		}
		if dynamic(m.TypeOf(a)) {
			out = append(out, a)
		}
	}
	return out
}

// dynamic reports string, bytes and dynamic array types.
func dynamic(t *sema.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind {
	case sema.TypeElementary:
		return t.Name == "string" || t.Name == "bytes"
	case sema.TypeArray:
		return !t.Fixed
	}
	return false
}
