package sema

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/source"
)

// body holds the facts extracted from one function or modifier body.
type body struct {
	calls    []*CallSite
	accesses []*Access
	locals   []*Var
	// facts maps CFG root nodes to the calls and accesses inside them.
	facts map[ast.Node]*nodeFacts
	// HasAssembly is set when the body contains inline assembly.
	hasAssembly bool
	// asmWritesStorage is set when inline assembly contains sstore.
	asmWritesStorage bool
	// placeholders counts `_;` statements (modifiers).
	placeholders int

	// Summaries.
	transReads  []*Var
	transWrites []*Var
	callees     []*Function
	transExt    *CallSite // some external call made directly or transitively

	// Recorded for guards and taint.
	conds     []ast.Expr      // require/assert arguments, if conditions
	returns   []ast.Expr      // returned values
	stmtCalls []*ast.CallExpr // calls that are whole expression statements
	assigns   []assignPair
}

type nodeFacts struct {
	calls    []*CallSite
	accesses []*Access
}

// Calls returns every call site in the body, in source order.
func (b *body) Calls() []*CallSite { return b.calls }

// ExternalCalls returns the call sites for which IsExternal is true.
func (b *body) ExternalCalls() []*CallSite {
	var out []*CallSite
	for _, c := range b.calls {
		if c.external {
			out = append(out, c)
		}
	}
	return out
}

// InternalCalls returns internal and library call sites.
func (b *body) InternalCalls() []*CallSite {
	var out []*CallSite
	for _, c := range b.calls {
		if c.Kind == CallInternal || c.Kind == CallLibrary {
			out = append(out, c)
		}
	}
	return out
}

// Accesses returns the direct state variable reads and writes in the
// body, in source order.
func (b *body) Accesses() []*Access { return b.accesses }

// StateReads returns the state variables read directly in the body.
func (b *body) StateReads() []*Var { return b.accessVars(false) }

// StateWrites returns the state variables written directly in the body.
func (b *body) StateWrites() []*Var { return b.accessVars(true) }

func (b *body) accessVars(write bool) []*Var {
	var out []*Var
	seen := map[*Var]bool{}
	for _, a := range b.accesses {
		if a.Write == write && !seen[a.Var] {
			seen[a.Var] = true
			out = append(out, a.Var)
		}
	}
	return out
}

// Locals returns the local variables declared in the body.
func (b *body) Locals() []*Var { return b.locals }

// HasAssembly reports whether the body contains inline assembly.
func (b *body) HasAssembly() bool { return b.hasAssembly }

// AssemblyWritesStorage reports whether inline assembly in the body
// contains sstore (writes to storage the model cannot attribute).
func (b *body) AssemblyWritesStorage() bool { return b.asmWritesStorage }

// TransitiveStateReads returns the state variables read by the body, its
// modifiers (for functions) and every internal or library function it
// calls, transitively.
func (b *body) TransitiveStateReads() []*Var { return b.transReads }

// TransitiveStateWrites returns the state variables written by the body,
// its modifiers (for functions) and every internal or library function it
// calls, transitively.
func (b *body) TransitiveStateWrites() []*Var { return b.transWrites }

// Callees returns the functions reachable through internal and library
// calls (and modifiers), transitively, excluding the function itself.
func (b *body) Callees() []*Function { return b.callees }

// MakesExternalCall reports whether the body (with modifiers and internal
// callees, transitively) contains an external call; it returns one such
// call site.
func (b *body) MakesExternalCall() (*CallSite, bool) { return b.transExt, b.transExt != nil }

// WritesState reports whether the body transitively writes v.
func (b *body) WritesState(v *Var) bool {
	for _, w := range b.transWrites {
		if w == v {
			return true
		}
	}
	return false
}

// expression contexts
type ectx uint8

const (
	cValue   ectx = iota // value is used
	cDiscard             // expression statement: value discarded
	cWrite               // assigned
	cRW                  // read and written (compound assignment, ++)
)

type walker struct {
	m      *Model
	b      *body
	fn     *Function
	md     *Modifier
	file   *File
	c      *Contract
	scopes []map[string]*Var
	loops  []ast.Stmt
	root   ast.Node
	cond   int // > 0 inside a condition
	inTry  bool
	alias  map[*Var][]*Var // storage pointer local -> state vars
	// checked marks variables used in conditions.
	checked map[*Var]bool
	// old reports pre-0.5 code (function-scoped locals, storage default).
	old bool
}

// analyzeBody extracts calls and accesses of fn or md.
func (m *Model) analyzeBody(b *body, fn *Function, md *Modifier) {
	w := &walker{m: m, b: b, fn: fn, md: md, alias: map[*Var][]*Var{}, checked: map[*Var]bool{}}
	b.facts = map[ast.Node]*nodeFacts{}
	var blk *ast.Block
	scope := map[string]*Var{}
	if fn != nil {
		w.file, w.c, blk = fn.File, fn.Contract, fn.Def.Body
		for _, p := range fn.Params {
			scope[p.Name] = p
		}
		for _, p := range fn.Returns {
			if p.Name != "" {
				scope[p.Name] = p
			}
		}
	} else {
		w.file, w.c, blk = md.File, md.Contract, md.Def.Body
		for _, p := range md.Params {
			scope[p.Name] = p
		}
	}
	w.old = w.file.Pragma.AllowsBelow(0, 5, 0)
	delete(scope, "")
	w.scopes = []map[string]*Var{scope}
	if blk == nil {
		return
	}
	// Modifier arguments are evaluated in the function's scope.
	if fn != nil {
		for _, mc := range fn.Modifiers {
			w.root = mc.Inv
			for _, a := range mc.Inv.Args {
				w.expr(a, cValue)
			}
		}
	}
	w.block(blk)
	for _, cs := range b.calls {
		if cs.SuccessVar != nil && w.checked[cs.SuccessVar] {
			cs.ReturnChecked = true
		}
	}
}

func (w *walker) push() { w.scopes = append(w.scopes, map[string]*Var{}) }
func (w *walker) pop()  { w.scopes = w.scopes[:len(w.scopes)-1] }

func (w *walker) declare(d *ast.VariableDeclaration, kind VarKind) *Var {
	if d == nil {
		return nil
	}
	v := w.m.newVar(d, kind, w.c, -1)
	v.Type = w.m.resolveType(d.Type, w.file, w.c)
	w.b.locals = append(w.b.locals, v)
	if v.Name != "" {
		w.scopes[len(w.scopes)-1][v.Name] = v
	}
	if d.Name != nil {
		w.m.refs[d.Name] = Symbol{Kind: SymVar, Name: v.Name, Node: d, Var: v}
	}
	return v
}

func (w *walker) facts() *nodeFacts {
	nf := w.b.facts[w.root]
	if nf == nil {
		nf = &nodeFacts{}
		w.b.facts[w.root] = nf
	}
	return nf
}

func (w *walker) setRoot(n ast.Node) { w.root = n }

func (w *walker) block(b *ast.Block) {
	if b == nil {
		return
	}
	w.push()
	for _, s := range b.Stmts {
		w.stmt(s)
	}
	w.pop()
}

func (w *walker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case nil:
	case *ast.Block:
		if s != nil {
			w.block(s)
		}
	case *ast.ExprStmt:
		w.setRoot(s)
		if ce, ok := s.X.(*ast.CallExpr); ok {
			w.b.stmtCalls = append(w.b.stmtCalls, ce)
		}
		w.expr(s.X, cDiscard)
	case *ast.VarDeclStmt:
		w.setRoot(s)
		w.b.assigns = assignPairsOf(s, w.b.assigns)
		w.varDecl(s)
	case *ast.IfStmt:
		w.setRoot(s.Cond)
		w.b.conds = append(w.b.conds, s.Cond)
		w.condExpr(s.Cond)
		w.scoped(s.Then)
		w.scoped(s.Else)
	case *ast.WhileStmt:
		w.loops = append(w.loops, s)
		w.setRoot(s.Cond)
		w.condExpr(s.Cond)
		w.scoped(s.Body)
		w.loops = w.loops[:len(w.loops)-1]
	case *ast.DoWhileStmt:
		w.loops = append(w.loops, s)
		w.scoped(s.Body)
		w.setRoot(s.Cond)
		w.condExpr(s.Cond)
		w.loops = w.loops[:len(w.loops)-1]
	case *ast.ForStmt:
		w.push()
		if s.Init != nil {
			w.stmt(s.Init)
		}
		w.loops = append(w.loops, s)
		if s.Cond != nil {
			w.setRoot(s.Cond)
			w.condExpr(s.Cond)
		}
		w.scoped(s.Body)
		if s.Post != nil {
			w.setRoot(s.Post)
			w.expr(s.Post, cDiscard)
		}
		w.loops = w.loops[:len(w.loops)-1]
		w.pop()
	case *ast.ReturnStmt:
		w.setRoot(s)
		if s.Value != nil {
			w.b.returns = append(w.b.returns, s.Value)
			w.b.assigns = assignPairsOf(s, w.b.assigns)
			w.cond++ // a returned result counts as checked
			w.expr(s.Value, cValue)
			w.cond--
		}
	case *ast.EmitStmt:
		w.setRoot(s)
		if s.Call != nil {
			w.resolveCallee(s.Call.Fun)
			for _, a := range s.Call.Args {
				w.expr(a, cValue)
			}
		}
	case *ast.RevertStmt:
		w.setRoot(s)
		if s.Call != nil {
			w.resolveCallee(s.Call.Fun)
			for _, a := range s.Call.Args {
				w.expr(a, cValue)
			}
		}
	case *ast.TryStmt:
		w.setRoot(s)
		w.b.assigns = assignPairsOf(s, w.b.assigns)
		w.inTry = true
		w.expr(s.Call, cValue)
		w.inTry = false
		w.push()
		for _, r := range s.Returns {
			w.declare(r, VarLocal)
		}
		w.block(s.Body)
		w.pop()
		for _, cc := range s.Catches {
			if cc == nil {
				continue
			}
			w.push()
			for _, p := range cc.Params {
				w.declare(p, VarLocal)
			}
			w.block(cc.Body)
			w.pop()
		}
	case *ast.AssemblyStmt:
		w.setRoot(s)
		w.b.hasAssembly = true
		w.assembly(s)
	case *ast.PlaceholderStmt:
		w.setRoot(s)
		w.b.placeholders++
		w.facts()
	default:
		w.setRoot(s)
		w.facts()
	}
}

// scoped walks a statement in its own scope (if/loop bodies).
func (w *walker) scoped(s ast.Stmt) {
	if s == nil {
		return
	}
	w.push()
	w.stmt(s)
	w.pop()
}

func (w *walker) condExpr(e ast.Expr) {
	w.cond++
	w.expr(e, cValue)
	w.cond--
}

func (w *walker) varDecl(s *ast.VarDeclStmt) {
	if s.Value != nil {
		w.expr(s.Value, cValue)
	}
	var vars []*Var
	for _, d := range s.Decls {
		vars = append(vars, w.declare(d, VarLocal))
	}
	if s.Value == nil {
		return
	}
	// Success variable of a call.
	if cs := w.callOfExpr(s.Value); cs != nil {
		if len(vars) > 0 && vars[0] != nil {
			cs.SuccessVar = vars[0]
			cs.ReturnUsed = true
		} else if len(vars) > 1 {
			// (, bytes memory data) = x.call(...): the result data is used
			// but the success flag is ignored.
			cs.ReturnUsed = true
		}
	}
	// Storage pointer aliases.
	if len(vars) == 1 && vars[0] != nil && w.isStoragePtr(vars[0]) {
		if roots := w.stateRoots(s.Value); len(roots) > 0 {
			w.alias[vars[0]] = roots
		}
	}
}

func (w *walker) isStoragePtr(v *Var) bool {
	if v.Decl.Location == ast.LocStorage {
		return true
	}
	if w.old && v.Decl.Location == ast.LocDefault && v.Type != nil {
		switch v.Type.Kind {
		case TypeStruct, TypeArray, TypeMapping:
			return true
		}
	}
	return false
}

// stateRoots returns the state variables an lvalue-ish expression is
// rooted at (b[x].y -> b), following storage aliases.
func (w *walker) stateRoots(e ast.Expr) []*Var {
	switch x := ast.Root(e).(type) {
	case *ast.CondExpr:
		return append(w.stateRoots(x.Then), w.stateRoots(x.Else)...)
	case *ast.Ident:
		s := w.m.refs[x]
		if s.Kind == SymVar && s.Var != nil {
			if s.Var.IsState() {
				return []*Var{s.Var}
			}
			return w.alias[s.Var]
		}
	}
	return nil
}

// callOfExpr returns the call site of e (unwrapping parentheses).
func (w *walker) callOfExpr(e ast.Expr) *CallSite {
	if ce, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		return w.m.callOf[ce]
	}
	return nil
}

func (w *walker) lookupLocal(name string) *Var {
	for i := len(w.scopes) - 1; i >= 0; i-- {
		if v := w.scopes[i][name]; v != nil {
			return v
		}
	}
	if w.old {
		// Pre-0.5 locals are function-scoped.
		for _, v := range w.b.locals {
			if v.Name == name {
				return v
			}
		}
	}
	return nil
}

// resolveIdent resolves a name used in the body.
func (w *walker) resolveIdent(id *ast.Ident) Symbol {
	if id == nil {
		return Symbol{}
	}
	if v := w.lookupLocal(id.Name); v != nil {
		s := Symbol{Kind: SymVar, Name: id.Name, Node: v.Decl, Var: v}
		w.m.refs[id] = s
		return s
	}
	var s Symbol
	if syms := w.m.lookupName(id.Name, w.file, w.c); len(syms) > 0 {
		s = syms[0]
		if s.Kind == SymFunction && w.c != nil {
			if fs := w.c.FunctionsNamed(id.Name); len(fs) > 0 {
				s.Funcs = fs
			}
		}
	} else if builtinNames[id.Name] || builtinFuncs[id.Name] {
		s = Symbol{Kind: SymBuiltin, Name: id.Name}
		if id.Name == "this" || id.Name == "super" {
			s.Contract = w.c
		}
	} else {
		s = Symbol{Kind: SymUnresolved, Name: id.Name}
	}
	w.m.refs[id] = s
	return s
}

// resolveCallee resolves names in an event/error reference.
func (w *walker) resolveCallee(e ast.Expr) {
	switch x := e.(type) {
	case *ast.Ident:
		w.resolveIdent(x)
	case *ast.MemberExpr:
		w.expr(x.X, cValue)
	}
}

func (w *walker) access(v *Var, e ast.Expr, write bool, via *Var, pos source.Pos) {
	a := &Access{Var: v, Expr: e, Write: write, Via: via, Node: w.root, pos: pos}
	w.b.accesses = append(w.b.accesses, a)
	nf := w.facts()
	nf.accesses = append(nf.accesses, a)
}

// lvalue records writes to the state rooted at e, then walks e's inner
// expressions (indices) as reads. pos is the time of the write.
func (w *walker) lvalue(e ast.Expr, ctx ectx, pos source.Pos) {
	switch x := e.(type) {
	case *ast.Ident:
		s := w.resolveIdent(x)
		if s.Kind == SymVar && s.Var != nil {
			if ctx == cRW && w.cond > 0 {
				w.checked[s.Var] = true
			}
			if s.Var.IsState() {
				if ctx == cRW {
					w.access(s.Var, x, false, nil, x.Pos())
				}
				w.access(s.Var, x, true, nil, pos)
			} else if roots := w.alias[s.Var]; len(roots) > 0 {
				for _, r := range roots {
					if ctx == cRW {
						w.access(r, x, false, s.Var, x.Pos())
					}
					w.access(r, x, true, s.Var, pos)
				}
			}
		}
	case *ast.IndexExpr:
		w.lvalueBase(x.X, e, ctx, pos)
		if x.Index != nil {
			w.expr(x.Index, cValue)
		}
	case *ast.IndexRangeExpr:
		w.lvalueBase(x.X, e, ctx, pos)
	case *ast.MemberExpr:
		w.lvalueBase(x.X, e, ctx, pos)
	case *ast.TupleExpr:
		for _, el := range x.Elems {
			if el != nil {
				w.lvalue(el, ctx, pos)
			}
		}
	default:
		if e != nil {
			w.expr(e, cValue)
		}
	}
}

// lvalueBase handles the base of an indexed or member lvalue: a write of
// b[x] writes b. Bases that are not storage (memory structs, calls) are
// walked as reads.
func (w *walker) lvalueBase(base ast.Expr, full ast.Expr, ctx ectx, pos source.Pos) {
	roots := w.rootsResolving(base)
	if len(roots) == 0 {
		w.expr(base, cValue)
		return
	}
	// Walk the base's own indices as reads, and record the write on roots.
	w.walkIndices(base)
	for _, r := range roots {
		if ctx == cRW {
			w.access(r.v, full, false, r.via, full.Pos())
		}
		w.access(r.v, full, true, r.via, pos)
	}
}

type rootRef struct{ v, via *Var }

// rootsResolving resolves the root identifier of an lvalue chain,
// recording its reference, and returns the state variables it denotes.
func (w *walker) rootsResolving(e ast.Expr) []rootRef {
	x, ok := ast.Root(e).(*ast.Ident)
	if !ok {
		return nil
	}
	s := w.resolveIdent(x)
	if s.Kind != SymVar || s.Var == nil {
		return nil
	}
	if s.Var.IsState() {
		return []rootRef{{v: s.Var}}
	}
	var out []rootRef
	for _, r := range w.alias[s.Var] {
		out = append(out, rootRef{v: r, via: s.Var})
	}
	return out
}

// walkIndices walks index expressions within an lvalue chain as reads.
func (w *walker) walkIndices(e ast.Expr) {
	for {
		switch x := e.(type) {
		case *ast.IndexExpr:
			if x.Index != nil {
				w.expr(x.Index, cValue)
			}
			e = x.X
			continue
		case *ast.IndexRangeExpr:
			if x.Low != nil {
				w.expr(x.Low, cValue)
			}
			if x.High != nil {
				w.expr(x.High, cValue)
			}
			e = x.X
			continue
		case *ast.MemberExpr:
			e = x.X
			continue
		case *ast.TupleExpr:
			if len(x.Elems) == 1 && !x.IsArray {
				e = x.Elems[0]
				continue
			}
		}
		return
	}
}

func (w *walker) expr(e ast.Expr, ctx ectx) {
	switch x := e.(type) {
	case nil:
	case *ast.Ident:
		if x == nil {
			return
		}
		s := w.resolveIdent(x)
		if s.Kind == SymVar && s.Var != nil {
			if w.cond > 0 {
				w.checked[s.Var] = true
			}
			if s.Var.IsState() {
				w.access(s.Var, x, false, nil, x.Pos())
			} else if roots := w.alias[s.Var]; len(roots) > 0 {
				for _, r := range roots {
					w.access(r, x, false, s.Var, x.Pos())
				}
			}
		}
	case *ast.Literal, *ast.ElementaryTypeExpr, *ast.TypeNameExpr, *ast.BadExpr:
	case *ast.BinaryExpr:
		w.expr(x.X, cValue)
		w.expr(x.Y, cValue)
	case *ast.UnaryExpr:
		switch x.Op {
		case lexer.Inc, lexer.Dec:
			w.lvalue(x.X, cRW, x.End())
		case lexer.Delete:
			w.lvalue(x.X, cWrite, x.End())
		default:
			w.expr(x.X, cValue)
		}
	case *ast.AssignExpr:
		w.b.assigns = assignPairsOf(x, w.b.assigns)
		w.expr(x.RHS, cValue)
		if x.Op == lexer.Assign {
			w.lvalue(x.LHS, cWrite, x.End())
		} else {
			w.lvalue(x.LHS, cRW, x.End())
		}
		if x.Op == lexer.Assign {
			if cs := w.callOfExpr(x.RHS); cs != nil {
				cs.ReturnUsed = true
				lhs := x.LHS
				if t, ok := lhs.(*ast.TupleExpr); ok && len(t.Elems) > 0 {
					lhs = t.Elems[0]
				}
				if id, ok := lhs.(*ast.Ident); ok {
					if s := w.m.refs[id]; s.Kind == SymVar && s.Var != nil && !s.Var.IsState() {
						cs.SuccessVar = s.Var
					}
				}
			}
			// Re-pointing a storage pointer.
			if id, ok := x.LHS.(*ast.Ident); ok {
				if s := w.m.refs[id]; s.Kind == SymVar && s.Var != nil && w.isStoragePtr(s.Var) {
					if roots := w.stateRoots(x.RHS); len(roots) > 0 {
						w.alias[s.Var] = append(w.alias[s.Var], roots...)
					}
				}
			}
		}
	case *ast.CondExpr:
		w.cond++
		w.expr(x.Cond, cValue)
		w.cond--
		w.expr(x.Then, ctx)
		w.expr(x.Else, ctx)
	case *ast.CallExpr:
		w.call(x, ctx)
	case *ast.CallOptions:
		w.expr(x.X, cValue)
		for _, v := range x.Values {
			w.expr(v, cValue)
		}
	case *ast.NewExpr:
		w.typeRefs(x.Type)
	case *ast.IndexExpr:
		w.expr(x.X, cValue)
		w.expr(x.Index, cValue)
	case *ast.IndexRangeExpr:
		w.expr(x.X, cValue)
		w.expr(x.Low, cValue)
		w.expr(x.High, cValue)
	case *ast.MemberExpr:
		w.expr(x.X, cValue)
	case *ast.TupleExpr:
		for _, el := range x.Elems {
			if el != nil {
				w.expr(el, ctx)
			}
		}
	}
}

// typeRefs records references of user-defined type names.
func (w *walker) typeRefs(tn ast.TypeName) {
	if u, ok := tn.(*ast.UserDefinedTypeName); ok && u.Path != nil && len(u.Path.Names) > 0 {
		if syms := w.m.lookupPath(u.Path, w.file, w.c); len(syms) > 0 {
			if last := u.Path.Names[len(u.Path.Names)-1]; last != nil {
				w.m.refs[last] = syms[0]
			}
		}
	}
}

// peelCall unwraps call options and old-style .value()/.gas() calls.
func peelCall(ce *ast.CallExpr) (fun ast.Expr, value, gas ast.Expr, inner []*ast.CallExpr) {
	fun = ce.Fun
	for i := 0; i < 8; i++ {
		switch f := fun.(type) {
		case *ast.CallOptions:
			for j, n := range f.Names {
				if j >= len(f.Values) || n == nil {
					continue
				}
				switch n.Name {
				case "value":
					value = f.Values[j]
				case "gas":
					gas = f.Values[j]
				}
			}
			fun = f.X
			continue
		case *ast.CallExpr:
			if me, ok := f.Fun.(*ast.MemberExpr); ok && me.Member != nil && (me.Member.Name == "value" || me.Member.Name == "gas") && len(f.Args) == 1 {
				switch me.X.(type) {
				case *ast.MemberExpr, *ast.CallExpr:
					if me.Member.Name == "value" {
						value = f.Args[0]
					} else {
						gas = f.Args[0]
					}
					inner = append(inner, f)
					fun = me.X
					continue
				}
			}
		}
		break
	}
	return
}

func (w *walker) newCall(ce *ast.CallExpr, kind CallKind, method string, ctx ectx) *CallSite {
	cs := &CallSite{Kind: kind, Expr: ce, Method: method, Args: ce.Args, Function: w.fn, Modifier: w.md, Node: w.root, InTry: w.inTry}
	if len(w.loops) > 0 {
		cs.Loop = w.loops[len(w.loops)-1]
	}
	cs.ReturnUsed = ctx != cDiscard
	cs.ReturnChecked = w.cond > 0 || w.inTry
	w.b.calls = append(w.b.calls, cs)
	w.m.callOf[ce] = cs
	nf := w.facts()
	nf.calls = append(nf.calls, cs)
	return cs
}

func (w *walker) args(ce *ast.CallExpr) {
	try := w.inTry
	w.inTry = false
	for _, a := range ce.Args {
		w.expr(a, cValue)
	}
	w.inTry = try
}

func (w *walker) call(ce *ast.CallExpr, ctx ectx) {
	fun, value, gas, inner := peelCall(ce)
	for _, ic := range inner {
		for _, a := range ic.Args {
			w.expr(a, cValue)
		}
	}
	if co, ok := ce.Fun.(*ast.CallOptions); ok {
		for _, v := range co.Values {
			w.expr(v, cValue)
		}
	}
	switch f := fun.(type) {
	case *ast.NewExpr:
		w.typeRefs(f.Type)
		if u, ok := f.Type.(*ast.UserDefinedTypeName); ok {
			c := firstContract(w.m.lookupPath(u.Path, w.file, w.c))
			cs := w.newCall(ce, CallCreation, u.Path.String(), ctx)
			cs.Value, cs.Gas = value, gas
			if c != nil {
				cs.Created = c
				cs.Callee = c.Constructor()
			}
		}
		w.args(ce)
		return
	case *ast.Ident:
		s := w.resolveIdent(f)
		switch s.Kind {
		case SymFunction:
			cs := w.newCall(ce, CallInternal, f.Name, ctx)
			cs.Callee = w.pickOverload(s.Funcs, ce.Args)
			if cs.Callee != nil && cs.Callee.Contract != nil && cs.Callee.Contract.IsLibrary() && (w.c == nil || cs.Callee.Contract != w.c) {
				cs.Kind = CallLibrary
			}
		case SymBuiltin:
			if builtinFuncs[f.Name] {
				cs := w.newCall(ce, CallBuiltin, f.Name, ctx)
				if f.Name == "require" || f.Name == "assert" {
					w.cond++
					if len(ce.Args) > 0 {
						w.b.conds = append(w.b.conds, ce.Args[0])
						w.expr(ce.Args[0], cValue)
					}
					w.cond--
					for _, a := range ce.Args[min(1, len(ce.Args)):] {
						w.expr(a, cValue)
					}
					_ = cs
					return
				}
			}
		case SymVar:
			w.newCall(ce, CallUnresolved, f.Name, ctx)
		case SymUnresolved:
			if builtinFuncs[f.Name] {
				w.newCall(ce, CallBuiltin, f.Name, ctx)
			} else {
				w.newCall(ce, CallUnresolved, f.Name, ctx)
			}
		}
		// Contracts, structs, events, errors, UDVTs: conversions and
		// constructors, not calls.
		w.args(ce)
		return
	case *ast.MemberExpr:
		w.memberCall(ce, f, value, gas, ctx)
		return
	case *ast.ElementaryTypeExpr, *ast.TypeNameExpr:
		w.args(ce)
		return
	case *ast.IndexExpr:
		// Array type conversion or function from array.
		w.expr(f, cValue)
		w.args(ce)
		return
	}
	w.expr(fun, cValue)
	w.newCall(ce, CallUnresolved, "", ctx)
	w.args(ce)
}

func (w *walker) memberCall(ce *ast.CallExpr, me *ast.MemberExpr, value, gas ast.Expr, ctx ectx) {
	name := identName(me.Member)
	argc := len(ce.Args)
	// Qualified names: super.f, this.f, Lib.f, Base.f, abi.encode, Unit.f.
	if id, ok := me.X.(*ast.Ident); ok {
		s := w.resolveIdent(id)
		switch s.Kind {
		case SymBuiltin:
			switch id.Name {
			case "super":
				cs := w.newCall(ce, CallInternal, name, ctx)
				cs.Super = true
				if w.c != nil {
					cs.Callee = w.c.ResolveSuper(w.c, name, argc)
				}
				w.args(ce)
				return
			case "this":
				cs := w.newCall(ce, CallHighLevel, name, ctx)
				cs.Target, cs.Value, cs.Gas = id, value, gas
				cs.TargetType = &Type{Kind: TypeContract, Name: identName(id), Contract: w.c}
				if w.c != nil {
					cs.Callee = w.c.ResolveFunction(name, argc)
					cs.TargetType.Name = w.c.Name
				}
				w.args(ce)
				return
			case "abi", "bytes", "string", "block", "msg", "tx":
				w.newCall(ce, CallBuiltin, id.Name+"."+name, ctx)
				w.args(ce)
				return
			}
		case SymContract:
			c := s.Contract
			fs := c.FunctionsNamed(name)
			switch {
			case c.IsLibrary():
				cs := w.newCall(ce, CallLibrary, name, ctx)
				cs.Callee = w.pickOverload(fs, ce.Args)
				cs.Target = id
			case w.c != nil && w.c.DerivesFrom(c):
				cs := w.newCall(ce, CallInternal, name, ctx)
				cs.Callee = w.pickOverload(fs, ce.Args)
			default:
				cs := w.newCall(ce, CallUnresolved, name, ctx)
				cs.Target = id
			}
			w.args(ce)
			return
		case SymModule:
			var syms []Symbol
			if s.File != nil {
				syms = s.File.Lookup(name)
			}
			cs := w.newCall(ce, CallUnresolved, name, ctx)
			if len(syms) > 0 && syms[0].Kind == SymFunction {
				cs.Kind = CallInternal
				cs.Callee = w.pickOverload(syms[0].Funcs, ce.Args)
			}
			w.args(ce)
			return
		}
		if s.Kind != SymVar && s.Kind != SymUnresolved {
			w.args(ce)
			return
		}
	}
	if ee, ok := me.X.(*ast.ElementaryTypeExpr); ok && ee.Type != nil {
		// bytes.concat, string.concat
		w.newCall(ce, CallBuiltin, ee.Type.Name+"."+name, ctx)
		w.args(ce)
		return
	}
	// Receiver expression.
	w.expr(me.X, cValue)
	tt := w.m.TypeOf(me.X)
	switch name {
	case "call", "delegatecall", "staticcall", "callcode":
		if !tt.IsContract() {
			cs := w.newCall(ce, CallLowLevel, name, ctx)
			cs.Target, cs.TargetType, cs.Value, cs.Gas = me.X, tt, value, gas
			w.args(ce)
			return
		}
	case "send":
		if argc == 1 && !tt.IsContract() {
			cs := w.newCall(ce, CallSend, name, ctx)
			cs.Target, cs.TargetType, cs.Value = me.X, tt, ce.Args[0]
			w.args(ce)
			return
		}
	case "transfer":
		if argc == 1 && !tt.IsContract() && !w.hasUsing(tt, name) {
			cs := w.newCall(ce, CallTransfer, name, ctx)
			cs.Target, cs.TargetType, cs.Value = me.X, tt, ce.Args[0]
			w.args(ce)
			return
		}
	case "push", "pop":
		if tt.Kind == TypeArray || (tt.Kind == TypeElementary && tt.Name == "bytes") || tt.Kind == TypeUnknown {
			if roots := w.rootsResolving(me.X); len(roots) > 0 {
				for _, r := range roots {
					w.access(r.v, ce, true, r.via, ce.End())
				}
				w.args(ce)
				return
			}
			if tt.Kind != TypeUnknown {
				w.args(ce)
				return
			}
		}
	}
	// Functions attached with using-for.
	if lf, unresolvedLib := w.usingFunc(tt, name, argc); lf != nil || unresolvedLib != "" {
		member := tt.IsContract() && tt.Contract != nil && len(tt.Contract.functionsNamedAll(name)) > 0
		if !member {
			cs := w.newCall(ce, CallLibrary, name, ctx)
			cs.Callee, cs.Target, cs.TargetType, cs.Value = lf, me.X, tt, value
			w.args(ce)
			return
		}
	}
	switch {
	case tt.IsContract() || tt.Kind == TypeUnknown:
		cs := w.newCall(ce, CallHighLevel, name, ctx)
		cs.Target, cs.TargetType, cs.Value, cs.Gas = me.X, tt, value, gas
		if tt.Contract != nil {
			cs.Callee = w.pickOverload(tt.Contract.functionsNamedAll(name), ce.Args)
		}
		cs.Callback = callbackOf(name, argc)
		if tt.Contract != nil && tt.Contract.IsLibrary() {
			cs.Kind = CallLibrary
		}
	case tt.Kind == TypeFunction || tt.Kind == TypeStruct:
		w.newCall(ce, CallUnresolved, name, ctx)
	case tt.IsAddress() && (name == "call" || name == "delegatecall" || name == "staticcall"):
	default:
		w.newCall(ce, CallUnresolved, name, ctx)
	}
	w.args(ce)
}

// functionsNamedAll returns functions named name in c and its bases.
func (c *Contract) functionsNamedAll(name string) []*Function { return c.FunctionsNamed(name) }

// hasUsing reports whether a using-for attaches a function name to t.
func (w *walker) hasUsing(t *Type, name string) bool {
	f, u := w.usingFunc(t, name, -1)
	return f != nil || u != ""
}

// usingFunc finds a library function attached to type t under name by a
// using-for directive in scope. If a matching directive names an
// unresolved library, unresolvedLib is its name.
func (w *walker) usingFunc(t *Type, name string, argc int) (fn *Function, unresolvedLib string) {
	var usings []*Using
	if w.c != nil {
		usings = w.c.allUsings()
	} else {
		usings = w.file.Usings
	}
	for _, u := range usings {
		if !u.appliesTo(t) {
			continue
		}
		if u.Library != nil {
			for _, f := range u.Library.Functions {
				if f.Name == name && (argc < 0 || len(f.Params) == argc+1) && (len(f.Params) == 0 || t == nil || t.Kind == TypeUnknown || f.Params[0].Type == nil || f.Params[0].Type.Kind == TypeUnknown || f.Params[0].Type.sameBase(t) || (u.Type != nil)) {
					return f, ""
				}
			}
			continue
		}
		for _, f := range u.Functions {
			if f.Name == name {
				return f, ""
			}
		}
		if u.LibraryName != "" && u.Type != nil && t != nil && t.Kind != TypeUnknown {
			if _, ok := externalLibHelpers[name]; ok {
				unresolvedLib = u.LibraryName
			}
		}
	}
	return nil, unresolvedLib
}

// pickOverload selects among functions by argument count, then by
// argument types where they are decidable.
func (w *walker) pickOverload(fs []*Function, args []ast.Expr) *Function {
	var cands []*Function
	for _, f := range fs {
		if f != nil && len(f.Params) == len(args) {
			cands = append(cands, f)
		}
	}
	if len(cands) == 0 {
		if len(fs) == 1 {
			return fs[0]
		}
		return nil
	}
	if len(cands) > 1 {
		// Prefer candidates whose parameter types match the argument types.
		var best []*Function
		for _, f := range cands {
			ok := true
			for i, a := range args {
				at := w.m.TypeOf(a)
				pt := f.Params[i].Type
				if at.Kind == TypeUnknown || pt == nil || pt.Kind == TypeUnknown {
					continue
				}
				if !compatible(at, pt) {
					ok = false
					break
				}
			}
			if ok {
				best = append(best, f)
			}
		}
		if len(best) > 0 {
			cands = best
		}
		// Most derived implementation among equal signatures.
		for _, f := range cands {
			if f.Implemented() && f.Signature == cands[0].Signature {
				return f
			}
		}
	}
	return cands[0]
}

// compatible reports whether a value of type a may be passed as p.
func compatible(a, p *Type) bool {
	if a.Kind != p.Kind {
		// Contracts convert to address only explicitly; literals are typed
		// as uint256 here, so allow integer kinds loosely.
		return false
	}
	if a.Kind == TypeElementary {
		if a.IsInteger() && p.IsInteger() {
			return a.IsSigned() == p.IsSigned()
		}
		if a.Name == "bytes" || a.Name == "string" || p.Name == "bytes" || p.Name == "string" {
			return a.Name == p.Name
		}
		return a.Name == p.Name || (a.Name[:min(5, len(a.Name))] == "bytes" && p.Name[:min(5, len(p.Name))] == "bytes")
	}
	if a.Kind == TypeContract && a.Contract != nil && p.Contract != nil {
		return a.Contract.DerivesFrom(p.Contract)
	}
	return true
}

// assembly scans inline assembly for storage writes, low-level calls and
// references to Solidity variables.
func (w *walker) assembly(s *ast.AssemblyStmt) {
	if s.Body == nil {
		return
	}
	ast.Inspect(s.Body, func(n ast.Node) bool {
		switch y := n.(type) {
		case *ast.YulCall:
			if y.Fun == nil {
				return true
			}
			switch y.Fun.Name {
			case "sstore":
				w.b.asmWritesStorage = true
			case "call", "callcode", "delegatecall", "staticcall", "create", "create2":
				kind := CallLowLevel
				if y.Fun.Name == "create" || y.Fun.Name == "create2" {
					kind = CallCreation
				}
				cs := &CallSite{Kind: kind, Yul: y, Method: y.Fun.Name, Function: w.fn, Modifier: w.md, Node: w.root, ReturnUsed: true}
				if len(w.loops) > 0 {
					cs.Loop = w.loops[len(w.loops)-1]
				}
				if (y.Fun.Name == "call" || y.Fun.Name == "callcode") && len(y.Args) > 2 {
					if l, ok := y.Args[2].(*ast.YulLiteral); !ok || (l.Value != "0" && l.Value != "0x0" && l.Value != "0x00") {
						cs.Value = &ast.BadExpr{Loc: ast.Loc{Src: y.Args[2].Span()}}
					}
				}
				if (kind == CallCreation) && len(y.Args) > 0 {
					if l, ok := y.Args[0].(*ast.YulLiteral); !ok || l.Value != "0" {
						cs.Value = &ast.BadExpr{Loc: ast.Loc{Src: y.Args[0].Span()}}
					}
				}
				w.b.calls = append(w.b.calls, cs)
				nf := w.facts()
				nf.calls = append(nf.calls, cs)
			}
		case *ast.YulIdent:
			name := y.Name
			suffix := ""
			for i := 0; i < len(name); i++ {
				if name[i] == '.' {
					suffix = name[i+1:]
					name = name[:i]
					break
				}
			}
			v := w.lookupLocal(name)
			if v == nil && w.c != nil {
				v = w.c.StateVar(name)
			}
			if v != nil && v.IsState() && suffix == "" {
				w.access(v, &ast.BadExpr{Loc: y.Loc}, false, nil, y.Pos())
			}
		}
		return true
	})
}
