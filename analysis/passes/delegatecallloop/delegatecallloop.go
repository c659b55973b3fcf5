package delegatecallloop

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
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
				if selfTarget(cs) && !valueReaders(m, fn) {
					continue // a stateless multicall: no callee credits msg.value
				}
				pass.Reportf(cs.Expr, "delegatecall inside a loop of payable %s; each call reuses msg.value", fn.String())
			}
		}
	}
	return nil, nil
}

// selfTarget reports a delegatecall into the contract itself:
// address(this).delegatecall(d) or Address.functionDelegateCall(address(this), d).
func selfTarget(cs *sema.CallSite) bool {
	if cs.Kind == sema.CallLibrary && len(cs.Args) > 0 && cs.Method == "functionDelegateCall" {
		return authutil.IsThis(cs.Args[0])
	}
	return cs.Target != nil && authutil.IsThis(cs.Target)
}

// valueReaders reports whether a function other than multi, in its
// contract or any contract deriving from it (what `this` can be), reads
// msg.value: only such a function can credit the same Ether once per
// delegated call (the Opyn / SushiSwap MISO bug). Uniswap's Multicall,
// whose callees never read msg.value, is safe.
func valueReaders(m *sema.Model, multi *sema.Function) bool {
	c := multi.Contract
	if c == nil {
		return true
	}
	for _, d := range m.Contracts {
		if d != c && !d.DerivesFrom(c) {
			continue
		}
		for _, f := range d.AllFunctions() {
			if f == multi {
				continue
			}
			for _, b := range flowutil.Bodies(f) {
				if ast.Contains(b, func(n ast.Node) bool { return ast.IsMember(n, "msg", "value") }) {
					return true
				}
			}
		}
	}
	return false
}
