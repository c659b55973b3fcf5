package lockedether

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports contracts that lock Ether.
var Analyzer = &analysis.Analyzer{
	Name:  "locked-ether",
	Title: "Contract accepts Ether but cannot send it",
	Doc: analysis.Doc{
		Summary: "The contract has payable functions (or receive/payable fallback) but no code " +
			"path that sends Ether out (call with value, transfer, send, selfdestruct). Ether " +
			"received is locked forever.",
		Exploit: "A sale contract's buy() is payable and records purchases, but the withdrawal " +
			"function was left out of the final version; every wei paid by buyers is stuck in the " +
			"contract with no way to recover it.",
		Recommendation: "Add an access-controlled withdrawal function, or remove `payable` (and " +
			"receive/fallback) if the contract is not meant to hold Ether.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryDoS,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, c := range m.Contracts {
		if c.Kind != ast.KindContract || c.Abstract || len(c.UnresolvedBases) > 0 || c.Def == nil ||
			c.File != nil && c.File.Source != nil && analysis.TestDouble("", c.File.Source.Name()) {
			continue
		}
		unresolved := false
		for _, b := range c.Linearization {
			if len(b.UnresolvedBases) > 0 {
				unresolved = true
			}
		}
		if unresolved {
			continue
		}
		var payable *sema.Function
		for _, fn := range c.AllFunctions() {
			if fn.IsPayable() && fn.Kind != ast.FuncConstructor {
				payable = fn
				break
			}
		}
		if payable == nil || canSend(c) {
			continue
		}
		at := ast.Node(c.Def)
		if c.Def.Name != nil {
			at = c.Def.Name
		}
		pass.Reportf(at, "%s receives Ether (%s is payable) but has no way to send it out: the Ether is locked", c.Name, payable)
	}
	return nil, nil
}

// canSend reports whether any function or modifier of c (own or
// inherited, including library callees) can move Ether out.
func canSend(c *sema.Contract) bool {
	for _, b := range c.Linearization {
		for _, fn := range b.Functions {
			for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
				if sends(f.Calls()) {
					return true
				}
			}
		}
		for _, md := range b.Modifiers {
			if sends(md.Calls()) {
				return true
			}
		}
	}
	return false
}

func sends(calls []*sema.CallSite) bool {
	for _, cs := range calls {
		switch {
		case cs.SendsValue(), cs.Kind == sema.CallSend, cs.Kind == sema.CallTransfer && cs.Target != nil && len(cs.Args) == 1:
			return true
		case cs.Kind == sema.CallLowLevel && (cs.Yul != nil || cs.IsDelegate()):
			return true
		case cs.Kind == sema.CallBuiltin && (cs.Method == "selfdestruct" || cs.Method == "suicide"):
			return true
		case cs.Method == "sendValue" || cs.Method == "functionCallWithValue" || cs.Method == "safeTransferETH":
			return true
		case cs.Kind == sema.CallCreation && cs.Value != nil:
			return true
		}
	}
	return false
}
