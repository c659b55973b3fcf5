package proxystorage

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports proxies with state in ordinary slots.
var Analyzer = &analysis.Analyzer{
	Name:  "proxy-storage-collision",
	Title: "Proxy state variables collide with the implementation's storage",
	Doc: analysis.Doc{
		Summary: "A delegating proxy declares state variables in ordinary sequential storage " +
			"slots. The implementation's own variables use the same slots, so each side " +
			"overwrites the other's state.",
		Exploit: "The proxy stores `address implementation` in slot 0; the implementation's first " +
			"variable is `address owner`. Calling the implementation's initialize() through the " +
			"proxy writes the attacker's address into slot 0, which the proxy reads as the " +
			"implementation: every later call is delegated to the attacker's contract (Audius " +
			"2022 class).",
		Recommendation: "Keep proxy state in EIP-1967 slots (bytes32(uint256(keccak256(" +
			"'eip1967.proxy.implementation')) - 1)) through assembly or StorageSlot, or inherit the " +
			"exact same storage layout contract in proxy and implementation.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryUpgradeability,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	proxies := map[*sema.Contract]bool{}
	for _, c := range m.Contracts {
		if c.Kind == ast.KindContract && isProxy(c) {
			proxies[c] = true
		}
	}
	reported := map[*sema.Var]bool{}
	for _, c := range m.Contracts {
		if !proxies[c] {
			continue
		}
		for _, v := range c.AllStateVars() {
			if !v.IsState() || reported[v] || sharedLayout(m, v.Contract, proxies) {
				continue
			}
			reported[v] = true
			pass.Reportf(v.Decl, "proxy %s keeps %s in an ordinary storage slot: the implementation's variables in the same slot overwrite it; use an EIP-1967 slot", c.Name, v)
		}
	}
	return nil, nil
}

// isProxy reports whether c's fallback or receive delegates.
func isProxy(c *sema.Contract) bool {
	for _, fn := range []*sema.Function{c.Fallback(), c.Receive()} {
		if fn == nil {
			continue
		}
		for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
			for _, cs := range f.Calls() {
				if cs.IsDelegate() || cs.Method == "functionDelegateCall" || cs.Method == "_delegate" && cs.Callee == nil {
					return true
				}
			}
		}
	}
	return false
}

// sharedLayout reports whether base is also inherited by a contract that
// is not a proxy (the implementation sharing the proxy's layout).
func sharedLayout(m *sema.Model, base *sema.Contract, proxies map[*sema.Contract]bool) bool {
	if base == nil {
		return false
	}
	for _, d := range m.Contracts {
		if d.Kind == ast.KindContract && !proxies[d] && d.DerivesFrom(base) {
			derivedFromProxy := false
			for p := range proxies {
				if p.DerivesFrom(d) || d == p {
					derivedFromProxy = true
					break
				}
			}
			if !derivedFromProxy {
				return true
			}
		}
	}
	return false
}
