package arbitrarysend

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports Ether sent to caller-chosen addresses by unguarded
// functions.
var Analyzer = &analysis.Analyzer{
	Name:  "arbitrary-send-eth",
	Title: "Ether sent to an arbitrary address",
	Doc: analysis.Doc{
		Summary: "An unguarded public function sends Ether to an address supplied by the caller, and " +
			"the amount is not limited by the caller's recorded balance.",
		Exploit: "`function payOut(address payable to, uint256 amount) public { to.transfer(amount); }` " +
			"lets anyone call payOut(attacker, address(this).balance) and take every deposit.",
		Recommendation: "Restrict the function to a trusted role, or pay only msg.sender out of a " +
			"balance recorded for it (and decrease that balance before sending).",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryAccessControl,
	SWC:        "SWC-105",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	signed := map[*sema.Function]bool{}
	for _, r := range authutil.Unguarded(m) {
		if flowutil.InLibrary(r.Fn) {
			// Reported at the library call (sendValue) in the contract.
			continue
		}
		for _, cs := range r.Fn.Calls() {
			dest, amount := ethSend(cs)
			if dest == nil || amount == nil || !authutil.CallerChosen(r.Entry, r.Fn, dest) {
				continue
			}
			if authutil.IsZeroAddress(amount) || r.Fn.Taint(amount).Has(sema.SrcValue|sema.SrcExternalCall) {
				continue
			}
			bodies := []ast.Node{r.Entry.Def.Body}
			if r.Fn != r.Entry {
				bodies = append(bodies, r.Fn.Def.Body)
			}
			if authutil.SenderBooks(m, append(bodies, amount), dest) {
				continue
			}
			if callerPays(r.Entry) || callerPays(r.Fn) {
				continue
			}
			if authutil.Validated(m, bodies, cs.Expr, dest, authutil.ParamVars(r.Entry, r.Fn, dest)) || hashGate(bodies) {
				continue
			}
			if _, ok := signed[r.Entry]; !ok {
				signed[r.Entry] = flowutil.SignatureChecked(r.Entry)
			}
			if signed[r.Entry] {
				continue
			}
			rep.Report(r.Fn, cs.Expr, 0, "%s sends Ether to the caller-chosen address %s without access control",
				r.Entry.Name, flowutil.Text(r.Fn.File, dest))
		}
	}
	return nil, nil
}

// ethSend returns the recipient and amount of an Ether transfer.
func ethSend(cs *sema.CallSite) (dest, amount ast.Expr) {
	if cs.Expr == nil {
		return nil, nil
	}
	switch cs.Kind {
	case sema.CallTransfer, sema.CallSend:
		return cs.Target, cs.Value
	case sema.CallLowLevel:
		if cs.Method == "call" && cs.Value != nil {
			return cs.Target, cs.Value
		}
	case sema.CallLibrary, sema.CallUnresolved:
		if cs.Method == "sendValue" || cs.Method == "safeTransferETH" {
			switch len(cs.Args) {
			case 1:
				return cs.Target, cs.Args[0]
			case 2:
				return cs.Args[0], cs.Args[1]
			}
		}
	}
	return nil, nil
}

// callerPays reports a function pulling tokens from msg.sender
// (transferFrom(msg.sender, ...)): the Ether sent is the other leg of an
// exchange.
func callerPays(fn *sema.Function) bool {
	for _, cs := range fn.Calls() {
		if cs.Method != "transferFrom" && cs.Method != "safeTransferFrom" {
			continue
		}
		for _, a := range cs.Args {
			if authutil.IsSender(a) {
				return true
			}
		}
	}
	return false
}

// hashGate reports a condition comparing a hash (commit-reveal secrets,
// Merkle roots): knowledge of a preimage authorizes the payout.
func hashGate(bodies []ast.Node) bool {
	for _, b := range bodies {
		for _, c := range ast.Conditions(b) {
			if ast.Contains(c, authutil.IsHashCall) {
				return true
			}
		}
	}
	return false
}
