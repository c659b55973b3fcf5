package msgvalueloop

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports msg.value read in loops or reused by a multicall.
var Analyzer = &analysis.Analyzer{
	Name:  "msg-value-in-loop",
	Title: "msg.value used in a loop",
	Doc: analysis.Doc{
		Summary: "msg.value is read inside a loop, or in a payable function reachable through a " +
			"delegatecall multicall. The same Ether is counted once per iteration or per batched call.",
		Exploit: "batchBuy(ids) loops over ids and checks `require(msg.value >= price)` for each item. " +
			"The attacker pays for one item and receives all of them; through a multicall that " +
			"delegatecalls deposit() ten times, one payment is credited ten times (Sushi MISO, 2021).",
		Recommendation: "Read msg.value once, track the remaining amount in a local variable and " +
			"decrement it per iteration; do not combine payable functions with delegatecall multicall.",
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
	multicall := map[*sema.Contract]bool{}
	for _, fn := range flowutil.Functions(m) {
		for _, cs := range fn.Calls() {
			if cs.Loop != nil && cs.IsDelegate() && cs.Target != nil && flowutil.IsThis(cs.Target) {
				multicall[fn.Contract] = true
			}
			if cs.Loop != nil && cs.Kind == sema.CallLibrary && cs.Method == "functionDelegateCall" &&
				len(cs.Args) > 0 && flowutil.IsThis(cs.Args[0]) {
				multicall[fn.Contract] = true
			}
		}
	}
	for _, fn := range flowutil.Functions(m) {
		if fn.Def == nil || fn.Def.Body == nil {
			continue
		}
		viaMulticall := false
		if fn.IsPayable() && fn.IsPubliclyReachable() {
			for _, c := range flowutil.ContractsWith(m, fn) {
				if multicall[c] {
					viaMulticall = true
				}
				for _, b := range c.Linearization {
					if multicall[b] {
						viaMulticall = true
					}
				}
			}
		}
		credited := map[ast.Node]bool{}
		if viaMulticall {
			// Only msg.value credited to storage is double-counted; Ether
			// forwarded onwards must be covered by the contract's balance.
			flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
				if a, ok := n.(*ast.AssignExpr); ok && flowutil.StateRoot(m, a.LHS) != nil {
					flowutil.Inspect(a.RHS, func(x ast.Node) bool {
						if ast.IsMember(x, "msg", "value") {
							credited[x] = true
						}
						return true
					})
				}
				return true
			})
		}
		flowutil.WalkLoops(fn.Def.Body, func(n ast.Node, loop ast.Stmt) {
			if !ast.IsMember(n, "msg", "value") {
				return
			}
			switch {
			case loop != nil:
				pass.Reportf(n, "msg.value read inside a loop; the same Ether is counted on every iteration")
			case credited[n]:
				pass.Reportf(n, "msg.value credited in a payable function of a contract with a delegatecall multicall; each batched call reuses it")
			}
		})
	}
	return nil, nil
}
