package callsinloop

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports external calls to stored addresses inside loops.
var Analyzer = &analysis.Analyzer{
	Name:  "calls-in-loop",
	Title: "External calls inside a loop",
	Doc: analysis.Doc{
		Summary: "A loop makes external calls to addresses stored by the contract. One failing or " +
			"gas-hungry recipient reverts the whole loop and blocks everyone else (denial of service).",
		Exploit: "refundAll() loops over `investors` and calls investors[i].transfer(amount). The " +
			"attacker invests from a contract whose fallback reverts; from then on every refundAll() " +
			"reverts and no investor can be refunded.",
		Recommendation: "Use pull payments (let each recipient withdraw), or isolate failures " +
			"(check the call result and continue), and bound the loop.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryDoS,
	SWC:        "SWC-113",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, fn := range flowutil.Functions(m) {
		if flowutil.InLibrary(fn) {
			continue
		}
		for _, cs := range fn.Calls() {
			if cs.Function != fn || cs.Loop == nil || cs.Expr == nil || cs.Target == nil || !cs.IsExternal() {
				continue
			}
			switch cs.Kind {
			case sema.CallSend, sema.CallTransfer:
			case sema.CallLowLevel:
				if cs.Method != "call" {
					continue
				}
			case sema.CallHighLevel:
				if cs.IsStatic() || flowutil.IsThis(cs.Target) {
					continue
				}
			default:
				continue
			}
			if flowutil.IsSender(cs.Target) || !fromStorage(m, fn, cs.Target) {
				continue
			}
			pass.Reportf(cs.Expr, "external %s inside a loop to a stored address; one failing recipient blocks the loop", cs.Method)
		}
	}
	return nil, nil
}

// fromStorage reports whether e selects an element of a storage array or
// mapping (payees[i], investors[i].addr), directly or through a local
// initialized from one: the recipients of the loop come from storage.
func fromStorage(m *sema.Model, fn *sema.Function, e ast.Expr) bool {
	if storedElem(m, e) {
		return true
	}
	found := false
	flowutil.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !found {
			if v := flowutil.LocalVar(m, id); v != nil && v.Kind == sema.VarLocal {
				if init := flowutil.LocalInit(m, fn, v); init != nil && storedElem(m, init) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// storedElem reports whether e contains an index expression rooted at a
// state variable or storage pointer.
func storedElem(m *sema.Model, e ast.Expr) bool {
	found := false
	flowutil.Inspect(e, func(n ast.Node) bool {
		if ix, ok := n.(*ast.IndexExpr); ok && flowutil.StateRoot(m, ix.X) != nil {
			found = true
		}
		return !found
	})
	return found
}
