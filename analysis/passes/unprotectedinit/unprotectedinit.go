package unprotectedinit

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports unguarded initializers.
var Analyzer = &analysis.Analyzer{
	Name:  "unprotected-initializer",
	Title: "Unprotected initializer",
	Doc: analysis.Doc{
		Summary: "An init/initialize function that sets owners or configuration has no initializer " +
			"guard and no caller check, so anyone can (re)initialize the contract.",
		Exploit: "Parity multisig (2017): `initWallet(address[] owners, ...)` was public and unguarded; " +
			"through the wallet's delegatecall fallback the attacker re-initialized live wallets with " +
			"itself as sole owner and drained them, and later took over the library and killed it.",
		Recommendation: "Use OpenZeppelin's `initializer` modifier (or a one-time `initialized` flag " +
			"checked and set first) and call `_disableInitializers()` in the implementation's constructor.",
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
	for _, r := range authutil.Unguarded(m) {
		fn := r.Entry
		if r.Depth > 0 || !initName(fn.Name) || fn.IsView() || fn.Guards().Initializer {
			continue
		}
		writes := fn.TransitiveStateWrites()
		if len(writes) == 0 || oneTime(m, fn, writes) {
			continue
		}
		rep.Report(fn, authutil.HeaderNode(fn), 0, "%s can be called by anyone to (re)initialize %s", fn.Name, names(writes))
	}
	return nil, nil
}

// initName reports init, initialize, initWallet, init_x, ...
func initName(n string) bool {
	t := strings.TrimLeft(n, "_")
	l := strings.ToLower(t)
	switch {
	case l == "init" || strings.HasPrefix(l, "initiali"):
		return true
	case strings.HasPrefix(l, "init") && len(t) > 4:
		c := t[4]
		return c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	}
	return false
}

// oneTime reports a precondition (in the function, its modifiers or its
// internal callees) on a state variable the function writes, or an
// initialized-style flag: the function can run only once.
func oneTime(m *sema.Model, fn *sema.Function, writes []*sema.Var) bool {
	set := map[*sema.Var]bool{}
	for _, v := range writes {
		set[v] = true
	}
	bodies := []ast.Node{fn.Def.Body}
	for _, mc := range fn.Modifiers {
		if mc.Modifier != nil && mc.Modifier.Def.Body != nil {
			bodies = append(bodies, mc.Modifier.Def.Body)
		}
	}
	direct := len(bodies)
	for _, c := range fn.Callees() {
		if c.Def.Body != nil {
			bodies = append(bodies, c.Def.Body)
		}
	}
	for i, b := range bodies {
		own := i < direct
		for _, c := range m.ConditionsIn(b) {
			if ast.Contains(c, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return false
				}
				v := m.Ref(id).Var
				if v == nil || v.Kind != sema.VarState {
					return false
				}
				l := strings.ToLower(v.Name)
				return own && set[v] || strings.Contains(l, "initiali")
			}) {
				return true
			}
		}
	}
	return false
}

func names(vs []*sema.Var) string {
	var out []string
	for i, v := range vs {
		if i == 3 {
			out = append(out, "...")
			break
		}
		out = append(out, v.Name)
	}
	return strings.Join(out, ", ")
}
