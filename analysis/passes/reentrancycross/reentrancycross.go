package reentrancycross

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports state written after an external call and read by
// another unguarded public function.
var Analyzer = &analysis.Analyzer{
	Name:  "reentrancy-cross-function",
	Title: "Cross-function reentrancy",
	Doc: analysis.Doc{
		Summary: "State is written after an external call, and a different public function without a " +
			"reentrancy guard reads it. The callee can re-enter that other function while the state is " +
			"stale, even when the calling function itself is guarded.",
		Exploit: "withdraw() is nonReentrant and pays `balances[msg.sender]` before zeroing it; " +
			"transfer(to, amount) is not guarded. In its receive() the attacker calls transfer() and moves " +
			"the not-yet-zeroed balance to a second account, then withdraws it again from there.",
		Recommendation: "Update state before external calls, and guard every function that reads the " +
			"affected state with the same reentrancy lock.",
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
	for _, r := range flowutil.Reentrancies(m, true) {
		guarded := r.Fn.Guards().Reentrancy
		var other *sema.Function
		var stale *sema.Var
	vars:
		for _, v := range r.Vars {
			if !guarded && flowutil.ReadsVar(r.Fn, v) {
				continue // single-function reentrancy, reported by reentrancy-eth/no-eth
			}
			for _, c := range flowutil.ContractsWith(m, r.Fn) {
				for _, g := range c.PublicFunctions() {
					if g == r.Fn || g.IsView() || !g.Implemented() || g.Guards().Reentrancy ||
						flowutil.AccessControlled(g) || !flowutil.ReadsVar(g, v) {
						continue
					}
					if g.Def == r.Fn.Def {
						continue
					}
					other, stale = g, v
					break vars
				}
			}
		}
		if other == nil {
			continue
		}
		n := r.Node
		if !rep.First(n) {
			continue
		}
		pass.Reportf(n, "cross-function reentrancy: %s is written after this call in %s and read by unguarded %s",
			stale.Name, r.Fn.String(), other.String())
	}
	return nil, nil
}
