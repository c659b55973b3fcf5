package reentrancynoeth

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports non-Ether external calls followed by writes of state the
// function reads.
var Analyzer = &analysis.Analyzer{
	Name:  "reentrancy-no-eth",
	Title: "Reentrancy without Ether transfer",
	Doc: analysis.Doc{
		Summary: "An external call that sends no Ether (token transfer, interface call) happens before " +
			"the function updates state it reads. A malicious callee or token hook can re-enter while " +
			"the state is stale.",
		Exploit: "deposit() calls token.transferFrom(msg.sender, this, amount) and then mints shares from " +
			"totalAssets. With an ERC-777 token the sender's tokensToSend hook re-enters deposit() " +
			"before the share accounting is updated and mints at a stale rate.",
		Recommendation: "Update state before the external call (checks-effects-interactions) or add a " +
			"reentrancy guard.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryReentrancy,
	SWC:        "SWC-107",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	var rep flowutil.Reporter
	for _, r := range flowutil.Reentrancies(m, false) {
		if flowutil.SendsETH(r.Call) {
			continue
		}
		var read []*sema.Var
		for _, v := range r.Vars {
			if flowutil.ReadsVar(r.Fn, v) {
				read = append(read, v)
			}
		}
		if len(read) == 0 {
			continue
		}
		n := r.Node
		if !rep.First(n) {
			continue
		}
		pass.Reportf(n, "reentrancy: external call before %s is updated (state written after the call in %s)",
			flowutil.VarNames(read), r.Fn.String())
	}
	return nil, nil
}
