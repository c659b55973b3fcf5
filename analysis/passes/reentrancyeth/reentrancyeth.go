package reentrancyeth

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports Ether-sending calls followed by writes of state the
// function reads.
var Analyzer = &analysis.Analyzer{
	Name:  "reentrancy-eth",
	Title: "Reentrancy with Ether transfer",
	Doc: analysis.Doc{
		Summary: "An external call sends Ether before the function updates state it reads. The " +
			"recipient can re-enter while the state is stale and repeat the payout.",
		Exploit: "withdraw() sends `balances[msg.sender]` with msg.sender.call{value: amount}(\"\") and " +
			"zeroes the balance afterwards. The attacker's receive() calls withdraw() again; the balance " +
			"is still set, so the bank pays out repeatedly until it is empty (The DAO, 2016).",
		Recommendation: "Apply checks-effects-interactions (update balances before the call) or add a " +
			"reentrancy guard (OpenZeppelin nonReentrant).",
	},
	Severity:   analysis.High,
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
		if !flowutil.SendsETH(r.Call) {
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
		pass.Reportf(n, "reentrancy: Ether sent before %s is updated (state written after the call in %s)",
			flowutil.VarNames(read), r.Fn.String())
	}
	return nil, nil
}
