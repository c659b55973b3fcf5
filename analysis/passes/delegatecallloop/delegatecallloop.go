package delegatecallloop

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports delegatecall in loops of payable functions.
var Analyzer = &analysis.Analyzer{
	Name:  "delegatecall-in-loop",
	Title: "delegatecall in a loop in a payable function",
	Doc: analysis.Doc{
		Summary: "A payable function delegatecalls in a loop. Every delegated call sees the same " +
			"msg.value, so Ether paid once is credited once per call.",
		Exploit: "A payable multicall(bytes[] data) delegatecalls each entry into the contract. The " +
			"attacker sends 1 ETH with ten deposit() entries and is credited 10 ETH.",
		Recommendation: "Make the multicall non-payable, or make the delegated functions ignore " +
			"msg.value and track the Ether budget explicitly.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryDeFi,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, fn := range flowutil.Functions(m) {
		if !fn.IsPayable() {
			continue
		}
		for _, cs := range fn.Calls() {
			if cs.Function != fn || cs.Loop == nil || cs.Expr == nil {
				continue
			}
			if cs.IsDelegate() || (cs.Kind == sema.CallLibrary && cs.Method == "functionDelegateCall") {
				pass.Reportf(cs.Expr, "delegatecall inside a loop of payable %s; each call reuses msg.value", fn.String())
			}
		}
	}
	return nil, nil
}
