package frontrunreward

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports front-runnable answer rewards.
var Analyzer = &analysis.Analyzer{
	Name:  "front-running-reward",
	Title: "Front-runnable reward for a secret",
	Doc: analysis.Doc{
		Summary: "A reward is paid to whoever submits a value whose hash matches a stored hash; the " +
			"value is public in the mempool and can be copied by a front-runner.",
		Exploit: "FindThisHash pays 1000 ether for the preimage of `hash`. The honest solver submits " +
			"solve(\"Ethereum!\"); a bot sees it pending, sends the same call with a higher fee and is " +
			"mined first.",
		Recommendation: "Use commit-reveal: first commit keccak256(solution, msg.sender, salt), reveal " +
			"in a later block, and pay only the committer.",
	},
	Severity:   analysis.Medium,
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
		if !fn.IsPubliclyReachable() || !fn.Implemented() || authutil.TestCode(fn) || !pays(fn) {
			continue
		}
		for _, c := range fn.Conditions() {
			ast.Inspect(c, func(n ast.Node) bool {
				b, ok := n.(*ast.BinaryExpr)
				if ok && (b.Op == lexer.Eq || b.Op == lexer.Ne) && (secret(m, fn, b.X, b.Y) || secret(m, fn, b.Y, b.X)) {
					rep.Report(fn, b, 0, "%s pays whoever submits the preimage of a stored hash; the answer can be front-run", fn.String())
				}
				return true
			})
		}
	}
	return nil, nil
}

// secret reports h = hash(caller input) compared with stored state s.
func secret(m *sema.Model, fn *sema.Function, h, s ast.Expr) bool {
	h = authutil.Unconvert(h)
	if !authutil.IsHashCall(h) || !fn.Taint(h).Has(sema.SrcParam) || ast.Contains(h, func(n ast.Node) bool {
		e, ok := n.(ast.Expr)
		return ok && authutil.IsSender(e)
	}) {
		return false
	}
	return fn.Taint(s).Empty() && ast.Contains(s, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return false
		}
		v := m.Ref(id).Var
		return v != nil && v.Kind == sema.VarState
	})
}

// pays reports Ether or token transfers in fn or its callees.
func pays(fn *sema.Function) bool {
	for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
		for _, cs := range f.Calls() {
			switch cs.Kind {
			case sema.CallTransfer, sema.CallSend:
				return true
			case sema.CallLowLevel:
				if cs.Value != nil {
					return true
				}
			case sema.CallHighLevel, sema.CallLibrary:
				if cs.Method == "transfer" || cs.Method == "safeTransfer" || cs.Method == "sendValue" {
					return true
				}
			}
		}
	}
	return false
}
