package uncheckedcall

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports low-level calls whose success is ignored.
var Analyzer = &analysis.Analyzer{
	Name:  "unchecked-low-level-call",
	Title: "Unchecked low-level call",
	Doc: analysis.Doc{
		Summary: "The boolean success result of a low-level call (call, delegatecall, staticcall, " +
			"callcode) is ignored. A failed call does not revert, so execution continues as if it " +
			"succeeded.",
		Exploit: "A lottery pays the winner with winner.call.value(prize)() and then marks the prize as " +
			"paid. The winner's fallback reverts (or runs out of gas); the payment silently fails but " +
			"the contract records it as done and the funds are stuck or misaccounted.",
		Recommendation: "Check the result: `(bool ok, ) = to.call{value: v}(\"\"); require(ok);`, or use " +
			"OpenZeppelin Address.functionCall / sendValue.",
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
	for _, cs := range flowutil.UncheckedCalls(m, func(cs *sema.CallSite) bool { return cs.Kind == sema.CallLowLevel }) {
		pass.Reportf(cs.Expr, "return value of low-level %s is not checked", cs.Method)
	}
	return nil, nil
}
