package authutil

import (
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Recovery is a signature recovery call: ecrecover, or ECDSA.recover /
// tryRecover.
type Recovery struct {
	Site *sema.CallSite
	// Digest is the signed hash argument.
	Digest ast.Expr
	// Raw reports a direct ecrecover call (v, r, s in Site.Args).
	Raw bool
}

// Recoveries returns the signature recovery calls of fn.
func Recoveries(fn *sema.Function) []Recovery {
	var out []Recovery
	for _, cs := range fn.Calls() {
		if cs.Expr == nil {
			continue
		}
		switch {
		case cs.Kind == sema.CallBuiltin && cs.Method == "ecrecover" && len(cs.Args) == 4:
			out = append(out, Recovery{Site: cs, Digest: cs.Args[0], Raw: true})
		case (cs.Method == "recover" || cs.Method == "tryRecover") && cs.Kind != sema.CallInternal:
			switch {
			case len(cs.Args) >= 2:
				out = append(out, Recovery{Site: cs, Digest: cs.Args[0]})
			case cs.Target != nil && len(cs.Args) >= 1:
				out = append(out, Recovery{Site: cs, Digest: cs.Target})
			}
		}
	}
	return out
}

// Definitions returns e and, transitively (a few levels), the values
// assigned in fn to the local variables e mentions.
func Definitions(m *sema.Model, fn *sema.Function, e ast.Expr) []ast.Expr {
	out := []ast.Expr{e}
	seen := map[*sema.Var]bool{}
	for i := 0; i < len(out) && i < 32; i++ {
		ast.Inspect(out[i], func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			v := m.Ref(id).Var
			if v == nil || v.Kind != sema.VarLocal || seen[v] {
				return true
			}
			seen[v] = true
			ast.Inspect(fn.Def.Body, func(d ast.Node) bool {
				switch x := d.(type) {
				case *ast.VarDeclStmt:
					if len(x.Decls) == 1 && x.Decls[0] == v.Decl && x.Value != nil {
						out = append(out, x.Value)
					}
				case *ast.AssignExpr:
					if lid, ok := ast.Unparen(x.LHS).(*ast.Ident); ok && m.Ref(lid).Var == v && x.RHS != nil {
						out = append(out, x.RHS)
					}
				}
				return true
			})
			return true
		})
	}
	return out
}

// readsState returns the mutable state variable e reads, directly or
// through a local copy (ConfigInfo memory c = s_configInfo), or nil.
func readsState(m *sema.Model, fn *sema.Function, e ast.Expr) *sema.Var {
	var out *sema.Var
	for _, d := range Definitions(m, fn, e) {
		ast.Inspect(d, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && out == nil {
				if v := m.Ref(id).Var; v != nil && v.Kind == sema.VarState && v.Decl != nil && !v.Decl.Constant && !v.Decl.Immutable {
					out = v
				}
			}
			return out == nil
		})
	}
	return out
}

// recovered reports whether e involves a recovered signer: a recover call
// or a local assigned from one.
func recovered(m *sema.Model, fn *sema.Function, e ast.Expr) bool {
	for _, d := range Definitions(m, fn, e) {
		if ast.Contains(d, func(n ast.Node) bool {
			ce, ok := n.(*ast.CallExpr)
			if !ok {
				return false
			}
			l := strings.ToLower(CalleeName(ce))
			return l == "ecrecover" || strings.Contains(l, "recover")
		}) {
			return true
		}
	}
	return false
}
