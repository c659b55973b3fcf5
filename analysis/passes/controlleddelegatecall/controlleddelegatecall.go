package controlleddelegatecall

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports delegatecall to caller-controlled addresses.
var Analyzer = &analysis.Analyzer{
	Name:  "controlled-delegatecall",
	Title: "Delegatecall to a caller-controlled address",
	Doc: analysis.Doc{
		Summary: "A public function without access control delegatecalls an address taken from its " +
			"parameters or msg.data; the callee's code runs with this contract's storage and balance.",
		Exploit: "`function forward(address callee, bytes data) public { callee.delegatecall(data); }`: " +
			"the attacker passes a contract whose function writes storage slot 0 (the owner) or " +
			"selfdestructs, taking over or destroying the caller.",
		Recommendation: "Delegatecall only to trusted, immutable or owner-managed implementations, and " +
			"restrict functions that choose the target to authorized callers.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryExternalCall,
	SWC:        "SWC-112",
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
			target := delegateTarget(cs)
			if target == nil {
				if cs.Yul != nil && yulControlled(r, cs.Yul) {
					rep.Report(r.Fn, cs.Yul, 0, "%s lets the caller choose the delegatecall target", r.Entry.Name)
				}
				continue
			}
			if authutil.IsThis(target) || !authutil.EntryControlled(r.Entry, r.Fn, target, false) {
				continue
			}
			rep.Report(r.Fn, cs.Expr, 0, "%s lets the caller choose the delegatecall target", r.Entry.Name)
		}
	}
	return nil, nil
}

// delegateTarget returns the target of a Solidity-level delegatecall.
func delegateTarget(cs *sema.CallSite) ast.Expr {
	if cs.Expr == nil {
		return nil
	}
	switch {
	case cs.Kind == sema.CallLowLevel && (cs.Method == "delegatecall" || cs.Method == "callcode"):
		return cs.Target
	case cs.Method == "functionDelegateCall" && len(cs.Args) >= 2 && cs.Kind != sema.CallInternal:
		return cs.Args[0]
	case cs.Method == "functionDelegateCall" && len(cs.Args) == 1 && cs.Target != nil:
		return cs.Target
	}
	return nil
}

// yulControlled reports an assembly delegatecall whose target argument is
// a parameter of the public entry itself.
func yulControlled(r authutil.Reach, c *ast.YulCall) bool {
	if r.Fn != r.Entry || c.Fun == nil || (c.Fun.Name != "delegatecall" && c.Fun.Name != "callcode") || len(c.Args) < 2 {
		return false
	}
	id, ok := c.Args[1].(*ast.YulIdent)
	if !ok {
		return false
	}
	for _, p := range r.Entry.Params {
		if p.Name != "" && p.Name == id.Name && p.Type != nil && p.Type.IsAddressLike() {
			return true
		}
	}
	return false
}
