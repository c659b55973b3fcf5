package authutil

import (
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// IsZeroAddress reports the literal 0, 0x0 or address(0), possibly
// converted.
func IsZeroAddress(e ast.Expr) bool {
	l, ok := Unconvert(e).(*ast.Literal)
	if !ok || (l.Kind != ast.LitNumber && l.Kind != ast.LitHexNumber) || l.Unit != "" {
		return false
	}
	v := strings.TrimPrefix(strings.TrimPrefix(l.Value, "0x"), "0X")
	return strings.Trim(v, "0_") == ""
}

// CallerChosen reports whether e, in fn reached from entry, is an address
// or value picked by the caller of entry (one of entry's parameters or
// msg.data) rather than msg.sender or the contract itself.
func CallerChosen(entry, fn *sema.Function, e ast.Expr) bool {
	if e == nil || IsSender(e) || IsThis(e) {
		return false
	}
	return EntryControlled(entry, fn, e, false)
}

// ParamVars returns the parameters of entry whose values flow into e in fn.
func ParamVars(entry, fn *sema.Function, e ast.Expr) []*sema.Var {
	t := fn.Taint(e)
	var out []*sema.Var
	for _, p := range entry.Params {
		if t.HasParam(p) {
			out = append(out, p)
		}
	}
	for _, p := range fn.Params {
		if fn != entry && t.HasParam(p) {
			out = append(out, p)
		}
	}
	return out
}

// Validated reports whether a condition in one of the bodies checks the
// value e against contract state or a fixed identity: an ==/!= comparison
// of e (or a local or parameter flowing into it) with anything but zero,
// a lookup indexed by it (allowlist[e]) or a check function taking it
// (isAllowed(e)) other than site, the call under scrutiny. Zero-address
// checks do not validate an address.
func Validated(m *sema.Model, bodies []ast.Node, site ast.Node, e ast.Expr, vars []*sema.Var) bool {
	mentions := func(x ast.Expr) bool {
		x = Unconvert(x)
		if id, ok := x.(*ast.Ident); ok && e != nil {
			if ei, ok := Unconvert(e).(*ast.Ident); ok && ei.Name == id.Name {
				return true
			}
		}
		return ast.Contains(x, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return false
			}
			v := m.Ref(id).Var
			for _, w := range vars {
				if v != nil && v == w {
					return true
				}
			}
			return false
		})
	}
	// Locals holding a state lookup indexed by e (Target memory t =
	// s_targets[e]; if (t.isActive) ...): testing them tests the lookup.
	lookups := map[*ast.VariableDeclaration]bool{}
	isLookup := func(rhs ast.Expr) bool {
		ix, ok := Unconvert(rhs).(*ast.IndexExpr)
		return ok && ix.Index != nil && StateRoot(m, ix.X) != nil && mentions(ix.Index)
	}
	lookup := func(lhs, rhs ast.Expr) {
		if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && isLookup(rhs) {
			if v := m.Ref(id).Var; v != nil && v.Kind != sema.VarState && v.Decl != nil {
				lookups[v.Decl] = true
			}
		}
	}
	for _, b := range bodies {
		ast.Inspect(b, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignExpr:
				if x.Op == lexer.Assign {
					lookup(x.LHS, x.RHS)
				}
			case *ast.VarDeclStmt:
				if len(x.Decls) == 1 && x.Decls[0] != nil && x.Value != nil && isLookup(x.Value) {
					lookups[x.Decls[0]] = true
				}
			}
			return true
		})
	}
	for _, b := range bodies {
		for _, c := range m.ConditionsIn(b) {
			hit := ast.Contains(c, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.Ident:
					v := m.Ref(x).Var
					return v != nil && v.Decl != nil && lookups[v.Decl]
				case *ast.BinaryExpr:
					if x.Op != lexer.Eq && x.Op != lexer.Ne {
						return false
					}
					if mentions(x.X) && !IsZeroAddress(x.Y) {
						return true
					}
					if mentions(x.Y) && !IsZeroAddress(x.X) {
						return true
					}
				case *ast.IndexExpr:
					return x.Index != nil && StateRoot(m, x.X) != nil && mentions(x.Index)
				case *ast.CallExpr:
					// isAllowed(target), whitelist.contains(target)
					if ast.Node(x) == site || CalleeName(x) == "require" || CalleeName(x) == "assert" {
						return false
					}
					for _, a := range x.Args {
						if mentions(a) {
							return true
						}
					}
				}
				return false
			})
			if hit {
				return true
			}
		}
	}
	return false
}

// SenderBooks reports whether a body keeps books for the caller or for
// the account who: a state lookup indexed by msg.sender (or by who) is
// written, or read in a condition (balances[msg.sender] >= amount).
func SenderBooks(m *sema.Model, bodies []ast.Node, who ast.Expr) bool {
	keyed := func(x *ast.IndexExpr) bool {
		if x.Index == nil || StateRoot(m, x.X) == nil {
			return false
		}
		if IsSender(x.Index) {
			return true
		}
		if who != nil {
			if a, ok := Unconvert(who).(*ast.Ident); ok {
				if b, ok := Unconvert(x.Index).(*ast.Ident); ok && a.Name == b.Name {
					return true
				}
			}
		}
		return false
	}
	// Storage pointers to the caller's record: DepositInfo storage info =
	// deposits[msg.sender]; info.deposit -= amount.
	pointers := map[*ast.VariableDeclaration]bool{}
	hasKeyed := func(n ast.Node) bool {
		return ast.Contains(n, func(y ast.Node) bool {
			switch x := y.(type) {
			case *ast.IndexExpr:
				return keyed(x)
			case *ast.Ident:
				v := m.Ref(x).Var
				return v != nil && v.Decl != nil && pointers[v.Decl]
			}
			return false
		})
	}
	for _, b := range bodies {
		ast.Inspect(b, func(n ast.Node) bool {
			if d, ok := n.(*ast.VarDeclStmt); ok && len(d.Decls) == 1 && d.Decls[0] != nil && d.Decls[0].Location == ast.LocStorage && d.Value != nil && hasKeyed(d.Value) {
				pointers[d.Decls[0]] = true
			}
			return true
		})
	}
	for _, b := range bodies {
		for _, c := range m.ConditionsIn(b) {
			if hasKeyed(c) {
				return true
			}
		}
		for lhs := range Assignments(b) {
			if hasKeyed(lhs) {
				return true
			}
		}
	}
	return false
}

// NamespacedBooks reports whether fn, or a function it calls, writes an
// entry of a mapping reached through a storage pointer
// ($._balances[from] = ...). ERC-7201 namespaced storage (OpenZeppelin 5
// upgradeable contracts) keeps all books behind a pointer returned from
// assembly, so those writes name no state variable.
func NamespacedBooks(m *sema.Model, fn *sema.Function) bool {
	for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
		if f.Def == nil || f.Def.Body == nil {
			continue
		}
		for lhs := range Assignments(f.Def.Body) {
			ix, ok := ast.Unparen(lhs).(*ast.IndexExpr)
			if !ok {
				continue
			}
			if id, ok := ast.Root(ix).(*ast.Ident); ok {
				if v := m.Ref(id).Var; v != nil && v.IsStoragePointer() {
					return true
				}
			}
		}
	}
	return false
}
