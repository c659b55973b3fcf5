package strictbalance

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

// Analyzer reports strict equality on the contract balance.
var Analyzer = &analysis.Analyzer{
	Name:  "strict-balance-equality",
	Title: "Strict equality on the contract's balance",
	Doc: analysis.Doc{
		Summary: "The contract compares its own Ether or token balance with == or !=; anyone can send " +
			"Ether (selfdestruct) or tokens to the contract and break the equality.",
		Exploit: "A game ends when `address(this).balance == 7 ether`. The attacker force-sends 1 wei " +
			"with selfdestruct; the balance can never equal 7 ether again and the funds are stuck.",
		Recommendation: "Track deposits in a state variable, or use >= / <= comparisons that tolerate " +
			"unexpected extra balance.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryDoS,
	SWC:        "SWC-132",
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
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			b, ok := n.(*ast.BinaryExpr)
			if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
				return true
			}
			if balance(b.X) || balance(b.Y) {
				rep.Report(fn, b, 0, "strict equality on the contract's balance in %s; it can be changed by force-sending funds", fn.String())
			}
			return true
		})
	}
	return nil, nil
}

func balance(e ast.Expr) bool {
	e = ast.Unparen(e)
	return authutil.IsSelfBalance(e) || authutil.IsSelfTokenBalance(e)
}
