package sema

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

// SourceKind is a bit set of taint source kinds.
type SourceKind uint16

// Taint source kinds.
const (
	// SrcParam is a parameter of a public or external function (directly,
	// or passed down through internal calls).
	SrcParam SourceKind = 1 << iota
	// SrcSender is msg.sender (or _msgSender()).
	SrcSender
	// SrcValue is msg.value.
	SrcValue
	// SrcData is msg.data or msg.sig.
	SrcData
	// SrcOrigin is tx.origin.
	SrcOrigin
	// SrcBlock is block.*, now or blockhash(...).
	SrcBlock
	// SrcExternalCall is the return value of an external call.
	SrcExternalCall
)

// SrcUser is the set of attacker-controlled sources.
const SrcUser = SrcParam | SrcSender | SrcValue | SrcData | SrcOrigin | SrcExternalCall

// TaintSet lists the sources that may flow into a value.
type TaintSet struct {
	Kinds SourceKind
	// Params are the public-function parameters that flow in.
	Params []*Var
	// Calls are the external calls whose results flow in.
	Calls []*CallSite
}

// Has reports whether any of the kinds in k flows in.
func (t TaintSet) Has(k SourceKind) bool { return t.Kinds&k != 0 }

// Empty reports whether no source flows in.
func (t TaintSet) Empty() bool { return t.Kinds == 0 }

// UserControlled reports whether an attacker-controlled source flows in
// (parameters, msg.sender/value/data, tx.origin, external call results).
func (t TaintSet) UserControlled() bool { return t.Kinds&SrcUser != 0 }

// HasParam reports whether parameter p flows in.
func (t TaintSet) HasParam(p *Var) bool {
	for _, q := range t.Params {
		if q == p {
			return true
		}
	}
	return false
}

func (t TaintSet) union(u TaintSet) (TaintSet, bool) {
	changed := false
	if t.Kinds|u.Kinds != t.Kinds {
		t.Kinds |= u.Kinds
		changed = true
	}
	for _, p := range u.Params {
		if !t.HasParam(p) {
			t.Params = append(t.Params[:len(t.Params):len(t.Params)], p)
			changed = true
		}
	}
	for _, c := range u.Calls {
		found := false
		for _, d := range t.Calls {
			if d == c {
				found = true
				break
			}
		}
		if !found {
			t.Calls = append(t.Calls[:len(t.Calls):len(t.Calls)], c)
			changed = true
		}
	}
	return t, changed
}

func (t TaintSet) or(u TaintSet) TaintSet {
	r, _ := t.union(u)
	return r
}

// Taint returns the sources that may flow into expression e, which must
// belong to f's body. Propagation is flow-insensitive over local
// variables (assignments, tuple assignments, arithmetic, abi.decode,
// conversions, struct/array members) and follows internal call arguments
// into parameters of internal functions (a few levels).
func (f *Function) Taint(e ast.Expr) TaintSet {
	if f.taint == nil {
		return TaintSet{}
	}
	return f.m().exprTaint(f, e, 0)
}

// ParamTaint returns the sources flowing into parameter i: the parameter
// itself for public functions, the union of call-site arguments for
// internal ones.
func (f *Function) ParamTaint(i int) TaintSet {
	if i < 0 || i >= len(f.paramTaint) {
		return TaintSet{}
	}
	return f.paramTaint[i]
}

// m returns the model a function belongs to (stored on its file).
func (f *Function) m() *Model { return f.File.model }

type assignPair struct {
	lhs ast.Expr
	rhs ast.Expr
	idx int // tuple component index of rhs, or -1
}

func (m *Model) computeTaint() {
	pairs := map[*Function][]assignPair{}
	for _, fn := range m.Functions {
		fn.paramTaint = make([]TaintSet, len(fn.Params))
		if fn.IsPubliclyReachable() || fn.Kind == ast.FuncConstructor {
			for i, p := range fn.Params {
				fn.paramTaint[i] = TaintSet{Kinds: SrcParam, Params: []*Var{p}}
			}
		}
		fn.taint = map[*Var]TaintSet{}
		pairs[fn] = fn.assigns
	}
	dirty := map[*Function]bool{}
	for _, fn := range m.Functions {
		dirty[fn] = true
	}
	for round := 0; round < 3; round++ {
		for _, fn := range m.Functions {
			if fn.Def.Body == nil || !dirty[fn] {
				continue
			}
			m.guard(fn.File, fn.Def, func() { m.localTaint(fn, pairs[fn]) })
		}
		clear(dirty)
		changed := false
		for _, fn := range m.Functions {
			for _, cs := range fn.calls {
				if cs.Callee == nil || cs.Kind != CallInternal && cs.Kind != CallLibrary || cs.Callee.IsPubliclyReachable() {
					continue
				}
				callee := cs.Callee
				args := cs.Args
				off := 0
				if cs.Kind == CallLibrary && cs.Target != nil && len(callee.Params) == len(args)+1 {
					off = 1
					if len(callee.paramTaint) > 0 {
						var c bool
						callee.paramTaint[0], c = callee.paramTaint[0].union(m.exprTaint(fn, cs.Target, 0))
						changed = changed || c
						dirty[callee] = dirty[callee] || c
					}
				}
				for i, a := range args {
					if i+off < len(callee.paramTaint) {
						var c bool
						callee.paramTaint[i+off], c = callee.paramTaint[i+off].union(m.exprTaint(fn, a, 0))
						changed = changed || c
						dirty[callee] = dirty[callee] || c
					}
				}
			}
		}
		if !changed && round > 0 {
			break
		}
	}
}

// assignPairsOf lists the local assignments made by one node (variable
// declaration, assignment, try returns, return statement).
func assignPairsOf(n ast.Node, out []assignPair) []assignPair {
	{
		switch x := n.(type) {
		case *ast.VarDeclStmt:
			if x.Value == nil {
				return out
			}
			rt, isTuple := unparenTuple(x.Value)
			for i, d := range x.Decls {
				if d == nil || d.Name == nil {
					continue
				}
				if isTuple && len(rt.Elems) == len(x.Decls) {
					out = append(out, assignPair{lhs: d.Name, rhs: rt.Elems[i], idx: -1})
				} else {
					idx := -1
					if len(x.Decls) > 1 {
						idx = i
					}
					out = append(out, assignPair{lhs: d.Name, rhs: x.Value, idx: idx})
				}
			}
		case *ast.AssignExpr:
			lt, lTuple := unparenTuple(x.LHS)
			rt, rTuple := unparenTuple(x.RHS)
			if lTuple && len(lt.Elems) > 1 {
				for i, el := range lt.Elems {
					if el == nil {
						continue
					}
					if rTuple && len(rt.Elems) == len(lt.Elems) {
						out = append(out, assignPair{lhs: el, rhs: rt.Elems[i], idx: -1})
					} else {
						out = append(out, assignPair{lhs: el, rhs: x.RHS, idx: i})
					}
				}
			} else {
				rhs := x.RHS
				if x.Op != lexer.Assign {
					rhs = &ast.BinaryExpr{Loc: x.Loc, X: x.LHS, Y: x.RHS}
				}
				out = append(out, assignPair{lhs: x.LHS, rhs: rhs, idx: -1})
			}
		case *ast.ReturnStmt:
			if x.Value != nil {
				out = append(out, assignPair{rhs: x.Value, idx: -1})
			}
		case *ast.TryStmt:
			for _, r := range x.Returns {
				if r != nil && r.Name != nil {
					out = append(out, assignPair{lhs: r.Name, rhs: x.Call, idx: -1})
				}
			}
		}
	}
	return out
}

func unparenTuple(e ast.Expr) (*ast.TupleExpr, bool) {
	t, ok := e.(*ast.TupleExpr)
	if !ok || t.IsArray {
		return nil, false
	}
	if len(t.Elems) == 1 {
		if inner, ok := unparenTuple(t.Elems[0]); ok {
			return inner, true
		}
		return nil, false
	}
	return t, true
}

// lhsVar returns the local variable an assignment target is rooted at.
func (m *Model) lhsVar(e ast.Expr) *Var {
	if v := m.RootVar(e); v != nil && v.Kind != VarState && v.Kind != VarConstant {
		return v
	}
	return nil
}

func (m *Model) localTaint(fn *Function, pairs []assignPair) {
	for i, p := range fn.Params {
		if i < len(fn.paramTaint) {
			fn.taint[p] = fn.paramTaint[i]
		}
	}
	for iter := 0; iter < 10; iter++ {
		changed := false
		for _, p := range pairs {
			if p.lhs == nil {
				continue
			}
			v := m.lhsVar(p.lhs)
			if v == nil {
				continue
			}
			t := m.exprTaint(fn, p.rhs, 0)
			if t.Empty() {
				continue
			}
			var c bool
			fn.taint[v], c = fn.taint[v].union(t)
			changed = changed || c
		}
		if !changed {
			break
		}
	}
	// Sources reaching return values (non-parameter kinds only).
	var rt TaintSet
	for _, r := range fn.Returns {
		rt = rt.or(fn.taint[r])
	}
	for _, p := range pairs {
		if p.lhs == nil {
			rt = rt.or(m.exprTaint(fn, p.rhs, 0))
		}
	}
	rt.Params = nil
	rt.Kinds &^= SrcParam
	fn.retTaint = rt
}

var magicSources = map[string]SourceKind{
	"msg.sender": SrcSender, "msg.value": SrcValue, "msg.data": SrcData, "msg.sig": SrcData,
	"tx.origin": SrcOrigin,
}

func (m *Model) exprTaint(fn *Function, e ast.Expr, depth int) TaintSet {
	if depth > 64 {
		return TaintSet{}
	}
	d := depth + 1
	switch x := e.(type) {
	case *ast.Ident:
		if x == nil {
			return TaintSet{}
		}
		s := m.refs[x]
		if s.Kind == SymVar && s.Var != nil {
			return fn.taint[s.Var]
		}
		if s.Kind == SymBuiltin && x.Name == "now" {
			return TaintSet{Kinds: SrcBlock}
		}
	case *ast.MemberExpr:
		if id, ok := x.X.(*ast.Ident); ok && x.Member != nil {
			if k, ok := magicSources[id.Name+"."+x.Member.Name]; ok {
				return TaintSet{Kinds: k}
			}
			if id.Name == "block" && m.refs[id].Kind != SymVar {
				return TaintSet{Kinds: SrcBlock}
			}
		}
		return m.exprTaint(fn, x.X, d)
	case *ast.IndexExpr:
		t := m.exprTaint(fn, x.X, d)
		if x.Index != nil && m.lhsVar(x.X) != nil {
			t = t.or(m.exprTaint(fn, x.Index, d))
		}
		return t
	case *ast.IndexRangeExpr:
		return m.exprTaint(fn, x.X, d)
	case *ast.BinaryExpr:
		return m.exprTaint(fn, x.X, d).or(m.exprTaint(fn, x.Y, d))
	case *ast.UnaryExpr:
		return m.exprTaint(fn, x.X, d)
	case *ast.AssignExpr:
		return m.exprTaint(fn, x.RHS, d)
	case *ast.CondExpr:
		return m.exprTaint(fn, x.Then, d).or(m.exprTaint(fn, x.Else, d))
	case *ast.TupleExpr:
		var t TaintSet
		for _, el := range x.Elems {
			if el != nil {
				t = t.or(m.exprTaint(fn, el, d))
			}
		}
		return t
	case *ast.CallOptions:
		return m.exprTaint(fn, x.X, d)
	case *ast.CallExpr:
		var t TaintSet
		cs := m.callOf[x]
		if cs != nil {
			switch {
			case cs.external:
				t = TaintSet{Kinds: SrcExternalCall, Calls: []*CallSite{cs}}
				return t
			case cs.Kind == CallBuiltin && cs.Method == "blockhash":
				t.Kinds |= SrcBlock
			case cs.Kind == CallInternal || cs.Kind == CallLibrary:
				if cs.Callee != nil {
					t = t.or(cs.Callee.retTaint)
					if cs.Callee.Name == "_msgSender" || cs.Callee.Name == "msgSender" {
						t.Kinds |= SrcSender
					}
					if cs.Callee.Name == "_msgData" {
						t.Kinds |= SrcData
					}
				}
				if cs.Target != nil && cs.Kind == CallLibrary {
					t = t.or(m.exprTaint(fn, cs.Target, d))
				}
			case cs.Kind == CallUnresolved && (cs.Method == "_msgSender" || cs.Method == "msgSender"):
				t.Kinds |= SrcSender
			}
		}
		for _, a := range x.Args {
			t = t.or(m.exprTaint(fn, a, d))
		}
		return t
	}
	return TaintSet{}
}

// RootVar returns the variable at the root of an access path (b in
// b[x].y, see ast.Root), of any kind, or nil when the root is not a
// variable.
func (m *Model) RootVar(e ast.Expr) *Var {
	id, ok := ast.Root(e).(*ast.Ident)
	if !ok {
		return nil
	}
	if s := m.refs[id]; s.Kind == SymVar {
		return s.Var
	}
	return nil
}
