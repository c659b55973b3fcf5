package sigmalleability

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports raw ecrecover calls whose signatures are marked as
// used by their bytes, without an s-value check.
var Analyzer = &analysis.Analyzer{
	Name:  "signature-malleability",
	Title: "Signature malleability",
	Doc: analysis.Doc{
		Summary: "ecrecover is called on caller-supplied signature components without checking that s " +
			"is in the lower half of the curve order, and used signatures are remembered by their bytes. " +
			"The flipped signature (v', r, n - s) is different bytes but equally valid.",
		Exploit: "A meta-transaction transfer stores `used[keccak256(signature)] = true`. After a " +
			"transfer executes, anyone submits the same transfer with s' = n - s and v flipped: the " +
			"replay check passes and the transfer runs again.",
		Recommendation: "Use OpenZeppelin ECDSA.recover (which rejects high s values), and key replay " +
			"protection on a nonce or the signed message hash, never on the signature bytes.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategorySignature,
	SWC:        "SWC-117",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	callers := map[*sema.Function][]*sema.Function{}
	rep := authutil.NewReporter(pass)
	for _, fn := range flowutil.Functions(m) {
		if flowutil.InLibrary(fn) || authutil.TestCode(fn) {
			continue
		}
		for _, rec := range authutil.Recoveries(fn) {
			if !rec.Raw || len(rec.Site.Args) != 4 {
				continue
			}
			s := rec.Site.Args[3]
			if !supplied(m, fn, s) || sChecked(m, fn, s) {
				continue
			}
			if len(callers) == 0 {
				callers = callerMap(m)
			}
			if !keyedBySignature(m, fn, rec.Site, callers) {
				continue
			}
			rep.Report(fn, rec.Site.Expr, 0, "signature malleability: ecrecover accepts high-s signatures and used signatures are tracked by their bytes, so a flipped signature replays")
		}
	}
	return nil, nil
}

// callerMap returns the internal callers of each function.
func callerMap(m *sema.Model) map[*sema.Function][]*sema.Function {
	out := map[*sema.Function][]*sema.Function{}
	for _, g := range m.Functions {
		for _, cs := range g.Calls() {
			if cs.Callee != nil && (cs.Kind == sema.CallInternal || cs.Kind == sema.CallLibrary) {
				out[cs.Callee] = append(out[cs.Callee], g)
			}
		}
	}
	return out
}

// supplied reports an s argument taken from the caller: a parameter or
// msg.data, or a local filled by inline assembly (signature splitting).
func supplied(m *sema.Model, fn *sema.Function, s ast.Expr) bool {
	if fn.Taint(s).Has(sema.SrcParam | sema.SrcData) {
		return true
	}
	v := flowutil.LocalVar(m, s)
	return v != nil && v.Kind == sema.VarLocal && fn.HasAssembly()
}

// sChecked reports a condition of fn bounding s (s <= n/2, the
// 0x7FFF...A0 constant, or any relational comparison of s).
func sChecked(m *sema.Model, fn *sema.Function, s ast.Expr) bool {
	v := flowutil.LocalVar(m, s)
	st := flowutil.Text(fn.File, flowutil.Unconvert(s))
	for _, c := range flowutil.Conditions(fn) {
		if strings.Contains(strings.ToLower(flowutil.Text(fn.File, c)), "7fffffffffffffff") {
			return true
		}
		for _, b := range flowutil.Comparisons([]ast.Expr{c}) {
			if !flowutil.IsRelational(b.Op) {
				continue
			}
			if (v != nil && flowutil.RefersTo(m, b, v)) || flowutil.Text(fn.File, flowutil.Unconvert(b.X)) == st || flowutil.Text(fn.File, flowutil.Unconvert(b.Y)) == st {
				return true
			}
		}
	}
	return false
}

// keyedBySignature reports whether fn, or a function calling it (up to
// three levels), indexes a state lookup with a value derived from the
// signature: a bytes parameter named like a signature, or the r and s
// components.
func keyedBySignature(m *sema.Model, fn *sema.Function, site *sema.CallSite, callers map[*sema.Function][]*sema.Function) bool {
	seen := map[*sema.Function]bool{}
	level := []*sema.Function{fn}
	for depth := 0; depth < 4 && len(level) > 0; depth++ {
		var next []*sema.Function
		for _, g := range level {
			if seen[g] || !g.Implemented() {
				continue
			}
			seen[g] = true
			sig := sigVars(m, g, fn, site)
			if len(sig) > 0 && indexedBy(m, g, sig) {
				return true
			}
			next = append(next, callers[g]...)
		}
		level = next
	}
	return false
}

// sigVars returns the variables of g carrying signature bytes: bytes
// parameters named like a signature, and in fn the r and s arguments.
func sigVars(m *sema.Model, g, fn *sema.Function, site *sema.CallSite) []*sema.Var {
	var out []*sema.Var
	for _, p := range g.Params {
		if p.Type == nil || p.Type.Name != "bytes" {
			continue
		}
		l := strings.ToLower(p.Name)
		if strings.Contains(l, "sig") || l == "_s" || l == "s" {
			out = append(out, p)
		}
	}
	if g == fn {
		for _, a := range site.Args[2:] {
			if v := flowutil.LocalVar(m, a); v != nil {
				out = append(out, v)
			}
		}
	}
	return out
}

// indexedBy reports a state lookup in g indexed by a value derived from
// one of vars.
func indexedBy(m *sema.Model, g *sema.Function, vars []*sema.Var) bool {
	return ast.Contains(g.Def.Body, func(n ast.Node) bool {
		ix, ok := n.(*ast.IndexExpr)
		if !ok || ix.Index == nil || authutil.StateRoot(m, ix.X) == nil {
			return false
		}
		for _, d := range authutil.Definitions(m, g, ix.Index) {
			for _, v := range vars {
				if refers(m, d, v) {
					return true
				}
			}
		}
		return false
	})
}

// refers reports whether n mentions v outside signature recovery calls
// (the recovered signer is not the signature).
func refers(m *sema.Model, n ast.Node, v *sema.Var) bool {
	found := false
	flowutil.Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch y := x.(type) {
		case *ast.CallExpr:
			if name := strings.ToLower(authutil.CalleeName(y)); strings.Contains(name, "recover") {
				return false
			}
		case *ast.Ident:
			if s := m.Ref(y); s.Kind == sema.SymVar && s.Var == v {
				found = true
			}
		}
		return true
	})
	return found
}
