package authutil

import (
	"slices"
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
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

// StateBound reports whether a signed digest (given by its definitions,
// see Definitions) is bound to stored state, which makes an old signature
// useless once that state moves on: a caller-supplied component of the
// digest is compared, in fn or the internal functions it calls, with a
// value read from storage (OCR's configDigest == latestConfigDigest and
// epoch > latestEpoch, a stored nonce), or indexes a storage mapping that
// the call writes (a used-id / transmission registry).
func StateBound(m *sema.Model, fn *sema.Function, defs []ast.Expr) bool {
	var params []*sema.Var
	for _, d := range defs {
		for _, p := range fn.Taint(d).Params {
			if !slices.Contains(params, p) {
				params = append(params, p)
			}
		}
	}
	if len(params) == 0 {
		return false
	}
	fns := append([]*sema.Function{fn}, fn.Callees()...)
	tainted := func(f *sema.Function, e ast.Expr) bool {
		t := f.Taint(e)
		for _, p := range params {
			if t.HasParam(p) {
				return true
			}
		}
		return false
	}
	written := map[*sema.Var]bool{}
	for _, v := range fn.TransitiveStateWrites() {
		written[v] = true
	}
	// Self-calls (this.route(id, ...)): the callee's parameters that
	// receive a digest-derived argument are digest-derived too.
	for _, cs := range fn.Calls() {
		if cs.Callee == nil || cs.Target == nil || !IsThis(cs.Target) || cs.Callee.Def == nil || cs.Callee.Def.Body == nil || slices.Contains(fns, cs.Callee) {
			continue
		}
		grew := false
		for i, a := range cs.Args {
			if i < len(cs.Callee.Params) && tainted(fn, a) {
				params = append(params, cs.Callee.Params[i])
				grew = true
			}
		}
		if grew {
			fns = append(fns, cs.Callee)
			for _, v := range cs.Callee.TransitiveStateWrites() {
				written[v] = true
			}
		}
	}
	for _, f := range fns {
		if f.Def == nil || f.Def.Body == nil {
			continue
		}
		for _, c := range f.Conditions() {
			if ast.Contains(c, func(n ast.Node) bool {
				b, ok := n.(*ast.BinaryExpr)
				if !ok || !(b.Op == lexer.Eq || b.Op == lexer.Ne || b.Op == lexer.Lt || b.Op == lexer.Gt || b.Op == lexer.Le || b.Op == lexer.Ge) {
					return false
				}
				if recovered(m, f, b) {
					return false // the signature check itself
				}
				eq := b.Op == lexer.Eq || b.Op == lexer.Ne
				for _, side := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
					if !tainted(f, side[0]) {
						continue
					}
					// Equality with a stored 32-byte value (a config digest,
					// a root), or ordering against a stored value the call
					// advances (epoch, sequence number).
					if eq && m.TypeOf(side[0]).Name == "bytes32" && readsState(m, f, side[1]) != nil {
						return true
					}
					if !eq {
						if v := readsState(m, f, side[1]); v != nil && written[v] {
							return true
						}
					}
				}
				return false
			}) {
				return true
			}
		}
		found := false
		ast.Inspect(f.Def.Body, func(n ast.Node) bool {
			ix, ok := n.(*ast.IndexExpr)
			if ok && ix.Index != nil {
				if v := StateRoot(m, ix.X); v != nil && written[v] && tainted(f, ix.Index) {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
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
