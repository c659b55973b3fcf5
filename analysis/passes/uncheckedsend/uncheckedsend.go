package uncheckedsend

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports send calls whose result is ignored.
var Analyzer = &analysis.Analyzer{
	Name:  "unchecked-send",
	Title: "Unchecked send",
	Doc: analysis.Doc{
		Summary: "The boolean result of addr.send(amount) is ignored. send returns false instead of " +
			"reverting when the transfer fails, so the contract continues as if it paid.",
		Exploit: "In a King-of-the-Ether game the throne is taken over after currentKing.send(compensation). " +
			"A contract king whose fallback reverts makes send fail; the game proceeds and the " +
			"compensation stays in the contract while the king loses the throne.",
		Recommendation: "Check the result (`require(to.send(amount))`), or use a pull-payment pattern " +
			"where recipients withdraw.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryExternalCall,
	SWC:        "SWC-104",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, cs := range flowutil.UncheckedCalls(m, func(cs *sema.CallSite) bool { return cs.Kind == sema.CallSend }) {
		pass.Reportf(cs.Expr, "return value of send is not checked; a failed payment goes unnoticed")
	}
	return nil, nil
}
