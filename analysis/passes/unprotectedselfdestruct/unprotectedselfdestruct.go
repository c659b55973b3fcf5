package unprotectedselfdestruct

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports selfdestruct reachable without access control.
var Analyzer = &analysis.Analyzer{
	Name:  "unprotected-selfdestruct",
	Title: "Unprotected selfdestruct",
	Doc: analysis.Doc{
		Summary: "selfdestruct (suicide) is reachable from a public function that does not check " +
			"the caller, so anyone can destroy the contract and take its Ether.",
		Exploit: "`function kill() public { selfdestruct(msg.sender); }`: the attacker calls kill(), " +
			"receives the balance, and every contract depending on this code breaks (Parity library, 2017).",
		Recommendation: "Remove selfdestruct, or restrict the function to a trusted role (onlyOwner, " +
			"multisig approval).",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryAccessControl,
	SWC:        "SWC-106",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	for _, r := range authutil.Unguarded(m) {
		for _, cs := range r.Fn.Calls() {
			if cs.Expr == nil || cs.Kind != sema.CallBuiltin || (cs.Method != "selfdestruct" && cs.Method != "suicide") {
				continue
			}
			rep.Report(r.Fn, cs.Expr, 0, "%s can be called by anyone and reaches %s", r.Entry.Name, cs.Method)
		}
	}
	return nil, nil
}
