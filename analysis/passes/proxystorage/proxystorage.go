package proxystorage

import (
	"strconv"
	"strings"

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
		var vars []*sema.Var
		for _, v := range c.AllStateVars() {
			if !v.IsState() || reported[v] || sharedLayout(m, v.Contract, proxies) {
				continue
			}
			vars = append(vars, v)
		}
		if len(vars) == 0 || mirrored(m, c, proxies) {
			continue
		}
		names := make([]string, len(vars))
		for i, v := range vars {
			reported[v] = true
			names[i] = v.String()
		}
		// One finding per proxy, at its first variable in an ordinary slot.
		pass.Reportf(vars[0].Decl, "proxy %s keeps %s in ordinary storage slots: the implementation's variables in the same slots overwrite them; use EIP-1967 slots", c.Name, strings.Join(names, ", "))
	}
	return nil, nil
}

// slotVar is a state variable's place in storage.
type slotVar struct {
	v            *sema.Var
	slot, offset int
	size         int
}

// layout computes c's storage layout with solc's packing rules: value
// types of up to 32 bytes share a slot in declaration order; mappings,
// dynamic arrays, strings, bytes, structs and fixed arrays start a new
// slot. Structs and fixed arrays count as one slot (their size is not
// modelled); both sides of a comparison are computed the same way.
func layout(c *sema.Contract) []slotVar {
	var out []slotVar
	slot, off := 0, 0
	for _, v := range c.AllStateVars() {
		if !v.IsState() || v.Decl.Transient {
			continue
		}
		size, whole := typeSize(v.Type)
		if whole || off+size > 32 {
			if off > 0 {
				slot++
				off = 0
			}
		}
		out = append(out, slotVar{v: v, slot: slot, offset: off, size: size})
		if whole {
			slot++
			off = 0
		} else {
			off += size
		}
	}
	return out
}

// typeSize returns the bytes a value of t occupies and whether it takes
// whole slots of its own.
func typeSize(t *sema.Type) (int, bool) {
	if t == nil {
		return 32, true
	}
	switch t.Kind {
	case sema.TypeElementary:
		switch {
		case t.Name == "address":
			return 20, false
		case t.Name == "bool":
			return 1, false
		case t.IsInteger():
			return max(t.Bits()/8, 1), false
		case strings.HasPrefix(t.Name, "bytes") && t.Name != "bytes":
			if n, err := strconv.Atoi(strings.TrimPrefix(t.Name, "bytes")); err == nil {
				return n, false
			}
		}
		return 32, true
	case sema.TypeContract:
		return 20, false
	case sema.TypeEnum:
		return 1, false
	}
	return 32, true
}

// mirrored reports a proxy whose layout some other contract of the model
// deliberately repeats (Safe's SafeProxy.singleton and Singleton.singleton,
// Chainlink's CronUpkeep and CronUpkeepDelegate): every variable of that
// contract overlapping a proxy variable sits at the same slot and offset
// with the same type, and most of them also have the same name (the mark
// of copied declarations, not a coincidence such as two addresses in
// slot 0). Such a contract is the implementation the proxy delegates to,
// written to share its state.
func mirrored(m *sema.Model, p *sema.Contract, proxies map[*sema.Contract]bool) bool {
	pl := layout(p)
	if len(pl) == 0 {
		return false
	}
	for _, c := range m.Contracts {
		if c.Kind != ast.KindContract || proxies[c] || c == p || c.DerivesFrom(p) || p.DerivesFrom(c) {
			continue
		}
		il := layout(c)
		same, pairs, clash := 0, 0, false
		for _, a := range pl {
			for _, b := range il {
				if b.slot != a.slot || b.offset+b.size <= a.offset || a.offset+a.size <= b.offset {
					continue
				}
				pairs++
				if b.offset == a.offset && b.size == a.size && b.v.Type.String() == a.v.Type.String() {
					if b.v.Name == a.v.Name {
						same++
					}
				} else {
					clash = true
				}
			}
		}
		if !clash && 2*same > pairs {
			return true
		}
	}
	return false
}

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
