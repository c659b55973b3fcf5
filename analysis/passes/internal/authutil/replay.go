package authutil

import (
	"slices"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// StateBound reports whether a signed digest (given by its definitions,
// see Definitions) is bound to stored state, which makes an old signature
// useless once that state moves on. It follows the values derived from
// the digest's caller-supplied inputs through fn, the internal functions
// it calls (with virtual calls dispatched to every override in a contract
// deriving from fn's) and its self-calls (this.route(id, ...)), and finds
//
//   - a comparison of a derived 32-byte value with a stored one (OCR's
//     configDigest == latestConfigDigest, a Merkle root);
//   - an ordering comparison of a derived value with a stored value the
//     call writes (epoch > latestEpoch; an advancing sequence number);
//   - a storage mapping indexed by a derived value and written on the
//     same path (a used-id registry: transmissions, request commitments).
func StateBound(m *sema.Model, fn *sema.Function, defs []ast.Expr) bool {
	derived := map[*sema.Var]bool{}
	for _, d := range defs {
		for _, p := range fn.Taint(d).Params {
			derived[p] = true
		}
	}
	if len(derived) == 0 {
		return false
	}
	mentions := func(e ast.Expr) bool {
		return e != nil && ast.Contains(e, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			return ok && derived[m.Ref(id).Var]
		})
	}
	path := []*sema.Function{fn}
	for round := 0; round < 6; round++ {
		grew := false
		add := func(v *sema.Var) {
			if v != nil && !derived[v] {
				derived[v] = true
				grew = true
			}
		}
		for i := 0; i < len(path); i++ {
			f := path[i]
			if f.Def == nil || f.Def.Body == nil {
				continue
			}
			ast.Inspect(f.Def.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.VarDeclStmt:
					if mentions(x.Value) {
						for _, d := range x.Decls {
							if d != nil && d.Name != nil {
								add(m.Ref(d.Name).Var)
								for _, l := range f.Locals() {
									if l.Decl == d {
										add(l)
									}
								}
							}
						}
					}
				case *ast.AssignExpr:
					if mentions(x.RHS) {
						// The assigned variable (the root of the access
						// path) becomes derived, not the keys used to
						// reach it: in results[id] = f(sig), id is not.
						lhs := []ast.Expr{x.LHS}
						if t, ok := ast.Unparen(x.LHS).(*ast.TupleExpr); ok {
							lhs = t.Elems
						}
						for _, l := range lhs {
							if l == nil {
								continue
							}
							if id, ok := ast.Root(l).(*ast.Ident); ok {
								if v := m.Ref(id).Var; v != nil && v.Kind != sema.VarState {
									add(v)
								}
							}
						}
					}
				}
				return true
			})
			for _, cs := range f.Calls() {
				for _, t := range callTargets(m, fn, cs) {
					if !slices.Contains(path, t) {
						path = append(path, t)
						grew = true
					}
					for j, a := range cs.Args {
						if j < len(t.Params) && mentions(a) {
							add(t.Params[j])
						}
					}
				}
			}
		}
		if !grew {
			break
		}
	}
	written := map[*sema.Var]bool{}
	for _, f := range path {
		for _, v := range f.TransitiveStateWrites() {
			written[v] = true
		}
	}
	for _, f := range path {
		if f.Def == nil || f.Def.Body == nil {
			continue
		}
		for _, c := range f.Conditions() {
			if ast.Contains(c, func(n ast.Node) bool {
				b, ok := n.(*ast.BinaryExpr)
				if !ok || !isComparison(b.Op) || recovered(m, f, b) {
					return false
				}
				eq := b.Op == lexer.Eq || b.Op == lexer.Ne
				for _, side := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
					if !mentions(side[0]) {
						continue
					}
					v := readsState(m, f, side[1])
					if v == nil {
						continue
					}
					if eq && m.TypeOf(side[0]).Name == "bytes32" || !eq && written[v] {
						return true
					}
				}
				return false
			}) {
				return true
			}
		}
		found := false
		ast.Inspect(f.Def.Body, func(n ast.Node) bool {
			if ix, ok := n.(*ast.IndexExpr); ok && ix.Index != nil {
				if v := StateRoot(m, ix.X); v != nil && written[v] && mentions(ix.Index) {
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

// callTargets returns the implemented functions a call in the path of
// entry can reach: the internal or library callee, its overrides in every
// contract deriving from entry's, and the callee of a self-call.
func callTargets(m *sema.Model, entry *sema.Function, cs *sema.CallSite) []*sema.Function {
	g := cs.Callee
	if g == nil {
		return nil
	}
	self := cs.Target != nil && IsThis(cs.Target)
	if cs.Kind != sema.CallInternal && cs.Kind != sema.CallLibrary && !self {
		return nil
	}
	var out []*sema.Function
	if g.Implemented() {
		out = append(out, g)
	}
	if entry.Contract != nil && g.Contract != nil && !g.Contract.IsLibrary() {
		for _, d := range m.Contracts {
			if d != entry.Contract && !d.DerivesFrom(entry.Contract) {
				continue
			}
			if impl := d.Dispatch(g); impl != nil && impl.Implemented() && !slices.Contains(out, impl) {
				out = append(out, impl)
			}
		}
	}
	return out
}

func isComparison(op lexer.Kind) bool {
	switch op {
	case lexer.Eq, lexer.Ne, lexer.Lt, lexer.Gt, lexer.Le, lexer.Ge:
		return true
	}
	return false
}
