package sema

import (
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

// GuardKind classifies a protection of a function.
type GuardKind uint8

// Guard kinds.
const (
	// GuardAccessControl is a check of msg.sender against state (owner,
	// role mapping, authority call), inline, in a modifier or in an
	// internal check function such as _checkOwner().
	GuardAccessControl GuardKind = iota
	// GuardTxOrigin is a check involving tx.origin (a vulnerability signal
	// when used for authorization).
	GuardTxOrigin
	// GuardReentrancy is a reentrancy lock (nonReentrant-style modifier or
	// a lock variable checked, set before and cleared after).
	GuardReentrancy
	// GuardPause is a whenNotPaused-style check.
	GuardPause
	// GuardInitializer is an initializer / onlyInitializing modifier or an
	// `initialized` flag check.
	GuardInitializer
)

var guardKindNames = [...]string{"access-control", "tx-origin", "reentrancy", "pause", "initializer"}

// String returns a name for k.
func (k GuardKind) String() string {
	if int(k) < len(guardKindNames) {
		return guardKindNames[k]
	}
	return "?"
}

// Guard is one piece of evidence that a function is protected.
type Guard struct {
	Kind GuardKind
	// Node is the evidence: the checking condition, or the modifier
	// invocation in the function header.
	Node ast.Node
	// Modifier is the modifier providing the guard, if any.
	Modifier *Modifier
	// Function is the internal function providing the guard (such as
	// _checkOwner), if any.
	Function *Function
	// ByName reports evidence based only on a conventional modifier name
	// (the modifier body was unavailable).
	ByName bool
}

// GuardSet summarizes what protects a function.
type GuardSet struct {
	AccessControl bool
	TxOrigin      bool
	Reentrancy    bool
	Pause         bool
	Initializer   bool
	// Guards lists the evidence.
	Guards []Guard
}

// Has reports whether a guard of kind k is present.
func (g GuardSet) Has(k GuardKind) bool {
	for _, x := range g.Guards {
		if x.Kind == k {
			return true
		}
	}
	return false
}

func (g *GuardSet) add(x Guard) {
	for _, y := range g.Guards {
		if y.Kind == x.Kind && y.Node == x.Node {
			return
		}
	}
	g.Guards = append(g.Guards, x)
	switch x.Kind {
	case GuardAccessControl:
		g.AccessControl = true
	case GuardTxOrigin:
		g.TxOrigin = true
	case GuardReentrancy:
		g.Reentrancy = true
	case GuardPause:
		g.Pause = true
	case GuardInitializer:
		g.Initializer = true
	}
}

// Guards returns what protects f: its modifiers, inline checks and
// internal check functions.
func (f *Function) Guards() GuardSet { return f.guards }

func (m *Model) computeGuards(fn *Function) {
	var gs GuardSet
	for _, mc := range fn.Modifiers {
		if mc.BaseConstructor != nil {
			continue
		}
		if mc.Modifier != nil && mc.Modifier.Def.Body != nil {
			var inner GuardSet
			m.bodyGuards(&mc.Modifier.body, mc.Modifier.Def.Body, &inner, 0, true)
			if mc.Modifier.hasLock() {
				inner.add(Guard{Kind: GuardReentrancy, Node: mc.Inv})
			}
			for _, g := range inner.Guards {
				g.Node, g.Modifier = mc.Inv, mc.Modifier
				gs.add(g)
			}
			if len(inner.Guards) > 0 {
				continue
			}
		}
		if k, ok := guardByName(mc.Name); ok {
			gs.add(Guard{Kind: k, Node: mc.Inv, Modifier: mc.Modifier, ByName: mc.Modifier == nil || mc.Modifier.Def.Body == nil})
		}
	}
	if fn.Def.Body != nil {
		m.bodyGuards(&fn.body, fn.Def.Body, &gs, 0, false)
		if g, ok := fn.inlineLock(); ok {
			gs.add(g)
		}
	}
	fn.guards = gs
}

// guardByName classifies conventional modifier names.
func guardByName(name string) (GuardKind, bool) {
	l := strings.ToLower(name)
	switch {
	case strings.Contains(l, "nonreentrant") || strings.Contains(l, "noreentran") || l == "lock" || l == "locked" || l == "mutex" || strings.Contains(l, "reentrancy"):
		return GuardReentrancy, true
	case strings.Contains(l, "paused") || l == "whennotpaused" || l == "notpaused":
		return GuardPause, true
	case strings.Contains(l, "initializ"):
		return GuardInitializer, true
	case strings.HasPrefix(l, "only") || l == "auth" || l == "authorized" || l == "requiresauth" || l == "restricted" || strings.HasSuffix(l, "only") || l == "isauthorized" || l == "ownable" || strings.HasPrefix(l, "isowner"):
		return GuardAccessControl, true
	}
	return 0, false
}

// bodyGuards scans conditions (require/assert arguments, if conditions,
// and with returns set also returned values) and statement-level internal
// calls of a body for guard patterns.
func (m *Model) bodyGuards(b *body, blk *ast.Block, gs *GuardSet, depth int, returns bool) {
	if depth > 2 || blk == nil {
		return
	}
	if depth > 0 {
		// Callee summaries are memoized per build.
		k := guardKey{b, returns}
		if m.guardMemo == nil {
			m.guardMemo = map[guardKey][]Guard{}
		}
		gl, ok := m.guardMemo[k]
		if !ok {
			m.guardMemo[k] = nil // recursion guard
			var inner GuardSet
			m.bodyGuards(b, blk, &inner, 0, returns)
			gl = inner.Guards
			m.guardMemo[k] = gl
		}
		for _, g := range gl {
			gs.add(g)
		}
		return
	}
	check := func(cond ast.Expr) {
		for _, k := range m.condGuards(b, cond, depth) {
			gs.add(Guard{Kind: k, Node: cond})
		}
	}
	for _, c := range b.conds {
		check(c)
	}
	for _, ce := range b.stmtCalls {
		for _, a := range m.assertedArgs(ce) {
			check(a)
		}
	}
	if returns {
		for _, r := range b.returns {
			check(r)
		}
	}
	for _, ce := range b.stmtCalls {
		cs := m.callOf[ce]
		if cs == nil || cs.Callee == nil || (cs.Kind != CallInternal && cs.Kind != CallLibrary) || cs.Callee.Def.Body == nil {
			continue
		}
		var inner GuardSet
		m.bodyGuards(&cs.Callee.body, cs.Callee.Def.Body, &inner, depth+1, false)
		for _, mc := range cs.Callee.Modifiers {
			if k, ok := guardByName(mc.Name); ok && k == GuardAccessControl {
				inner.add(Guard{Kind: k, Node: mc.Inv, Modifier: mc.Modifier})
			}
		}
		for _, g := range inner.Guards {
			if g.Kind == GuardReentrancy {
				continue
			}
			g.Node, g.Function = ce, cs.Callee
			gs.add(g)
		}
	}
}

type guardKey struct {
	b       *body
	returns bool
}

// condGuards classifies one condition.
func (m *Model) condGuards(b *body, cond ast.Expr, depth int) []GuardKind {
	var origin, access, paused, initialized bool
	ast.Inspect(cond, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.MemberExpr:
			if ast.IsMember(x, "tx", "origin") {
				origin = true
			}
		case *ast.BinaryExpr:
			if x.Op == lexer.Eq || x.Op == lexer.Ne {
				if (m.isSender(x.X) && (m.authSide(x.Y) || m.computedIdentity(b, x.Y) || isThis(x.Y))) || (m.isSender(x.Y) && (m.authSide(x.X) || m.computedIdentity(b, x.X) || isThis(x.X))) {
					access = true
				}
				// wards[msg.sender] == 1 (ds-auth / MakerDAO)
				if (m.senderIndexed(x.X) && isLiteral(x.Y)) || (m.senderIndexed(x.Y) && isLiteral(x.X)) {
					access = true
				}
			}
		case *ast.IndexExpr:
			// authorized[msg.sender], roles[role][msg.sender] of bool type.
			if m.senderIndexed(x) {
				if t := m.TypeOf(x); t.Kind == TypeElementary && t.Name == "bool" {
					access = true
				}
			}
		case *ast.Ident:
			s := m.refs[x]
			if s.Kind == SymVar && s.Var != nil && s.Var.Kind == VarState {
				l := strings.ToLower(s.Var.Name)
				if strings.Contains(l, "pause") {
					paused = true
				}
				if strings.Contains(l, "initializ") {
					initialized = true
				}
			}
		case *ast.CallExpr:
			cs := m.callOf[x]
			if cs == nil {
				return true
			}
			switch cs.Method {
			case "paused", "_requireNotPaused", "isPaused", "_whenNotPaused":
				paused = true
			}
			if cs.Kind == CallBuiltin {
				return true
			}
			if authName(cs.Method) {
				for _, a := range cs.Args {
					if m.mentionsSender(a) {
						access = true
					}
				}
			}
			if m.senderPredicate(cond, x, cs) {
				access = true
			}
			if cs.Callee != nil && depth < 2 && cs.Callee.Def.Body != nil && (cs.Kind == CallInternal || cs.Kind == CallLibrary) {
				var inner GuardSet
				m.bodyGuards(&cs.Callee.body, cs.Callee.Def.Body, &inner, depth+1, true)
				if inner.AccessControl {
					access = true
				}
				if inner.Pause {
					paused = true
				}
			}
		}
		return true
	})
	var out []GuardKind
	if origin {
		out = append(out, GuardTxOrigin)
	}
	if access && !origin {
		out = append(out, GuardAccessControl)
	}
	if paused {
		out = append(out, GuardPause)
	}
	if initialized {
		out = append(out, GuardInitializer)
	}
	return out
}

// senderPredicate reports a condition that is (up to negation and && / ||)
// a call taking msg.sender as an argument and answering a question about
// it, such as _canPerform(actionId, msg.sender) or
// authorizer.canCall(msg.sender, address(this), msg.sig): the caller must
// satisfy the callee's predicate. Calls that move value (transfer, send,
// approve, mint, burn) are results of actions, not predicates.
func (m *Model) senderPredicate(cond ast.Expr, ce *ast.CallExpr, cs *CallSite) bool {
	top := false
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		switch x := ast.Unparen(e).(type) {
		case *ast.UnaryExpr:
			if x.Op == lexer.Not {
				walk(x.X)
			}
		case *ast.BinaryExpr:
			if x.Op == lexer.And || x.Op == lexer.Or {
				walk(x.X)
				walk(x.Y)
			}
		case *ast.CallExpr:
			if x == ce {
				top = true
			}
		}
	}
	walk(cond)
	if !top {
		return false
	}
	l := strings.TrimLeft(strings.ToLower(cs.Method), "_")
	for _, w := range []string{"transfer", "send", "approve", "mint", "burn", "call", "swap", "deposit", "withdraw"} {
		if strings.Contains(l, w) && !strings.HasPrefix(l, "can") {
			return false
		}
	}
	// A predicate computed from the address alone (isContract) is no
	// authorization: an implemented callee must consult state or ask
	// another contract (an authorizer). Unimplemented virtual hooks such as
	// Balancer's _canPerform get the benefit of the doubt.
	if c := cs.Callee; c != nil && c.Implemented() && (cs.Kind == CallInternal || cs.Kind == CallLibrary) {
		if _, ext := c.MakesExternalCall(); !ext && len(c.TransitiveStateReads()) == 0 {
			return false
		}
	}
	for _, a := range cs.Args {
		if m.isSender(a) {
			return true
		}
	}
	return false
}

// isThis reports `this` or address(this): msg.sender == address(this)
// makes a function callable only by the contract itself (EntryPoint's
// innerHandleOp, self-calls through this.f()).
func isThis(e ast.Expr) bool {
	id, ok := unconvert(e).(*ast.Ident)
	return ok && id.Name == "this"
}

func isLiteral(e ast.Expr) bool {
	_, ok := ast.Unparen(e).(*ast.Literal)
	return ok
}

// unconvert strips parentheses and address(...)/payable(...) conversions.
func unconvert(e ast.Expr) ast.Expr {
	for i := 0; i < 8; i++ {
		e = ast.Unparen(e)
		ce, ok := e.(*ast.CallExpr)
		if !ok || len(ce.Args) != 1 {
			return e
		}
		if _, ok := ce.Fun.(*ast.ElementaryTypeExpr); !ok {
			return e
		}
		e = ce.Args[0]
	}
	return e
}

// isSender reports msg.sender or _msgSender().
func (m *Model) isSender(e ast.Expr) bool {
	e = unconvert(e)
	if ast.IsMember(e, "msg", "sender") {
		return true
	}
	if ce, ok := e.(*ast.CallExpr); ok {
		if id, ok := ce.Fun.(*ast.Ident); ok && (id.Name == "_msgSender" || id.Name == "msgSender") {
			return true
		}
	}
	return false
}

func (m *Model) mentionsSender(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(ast.Expr); ok && m.isSender(x) {
			found = true
		}
		return !found
	})
	return found
}

// authSide reports whether e (compared with msg.sender) is state or a call
// (owner, owner(), admins[i], getRoleAdmin(...)), not a parameter or
// literal.
func (m *Model) authSide(e ast.Expr) bool {
	found := false
	ast.Inspect(unconvert(e), func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			if s := m.refs[x]; s.Kind == SymVar && s.Var != nil && (s.Var.Kind == VarState || s.Var.IsStoragePointer()) {
				found = true
			}
		case *ast.CallExpr:
			if cs := m.callOf[x]; cs != nil && cs.Kind != CallBuiltin {
				found = true
			}
		}
		return !found
	})
	return found
}

// computedIdentity reports a local variable (possibly converted) that
// the body assigns from a non-builtin call not involving msg.sender, such
// as Uniswap's `pool = PoolAddress.computeAddress(factory, key)`: the
// caller must be the contract that computation names (a CREATE2 address
// derived from a trusted factory), not an address it simply passed in.
func (m *Model) computedIdentity(b *body, e ast.Expr) bool {
	if b == nil {
		return false
	}
	id, ok := unconvert(e).(*ast.Ident)
	if !ok {
		return false
	}
	v := m.refs[id].Var
	if v == nil || v.Kind == VarState || v.Decl == nil {
		return false
	}
	found := false
	for _, p := range b.assigns {
		lid, ok := p.lhs.(*ast.Ident)
		if !ok || (lid != v.Decl.Name && m.refs[lid].Var != v) || p.rhs == nil || m.mentionsSender(p.rhs) {
			continue
		}
		ast.Inspect(p.rhs, func(n ast.Node) bool {
			if ce, ok := n.(*ast.CallExpr); ok {
				if cs := m.callOf[ce]; cs != nil && (cs.Kind == CallInternal || cs.Kind == CallLibrary || cs.Kind == CallHighLevel || cs.Kind == CallCreation) {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// senderIndexed reports M[...msg.sender...] with M rooted at state.
func (m *Model) senderIndexed(e ast.Expr) bool {
	ix, ok := ast.Unparen(e).(*ast.IndexExpr)
	if !ok || ix.Index == nil || !m.isSender(ix.Index) {
		return false
	}
	return m.authSide(ix.X)
}

// authName reports function names that look like authorization queries.
func authName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"role", "owner", "auth", "admin", "allow", "whitelist", "permi", "operator", "approvedforall", "guardian", "governance", "governor", "minter", "keeper", "manager", "controller"} {
		if strings.Contains(l, w) {
			return !strings.Contains(l, "transfer")
		}
	}
	return false
}

// hasLock reports whether a modifier writes some state variable both
// before and after its placeholder (a reentrancy lock), directly or
// through internal calls.
func (md *Modifier) hasLock() bool {
	if md.Def.Body == nil || md.placeholders == 0 {
		return false
	}
	var ph ast.Node
	ast.Inspect(md.Def.Body, func(n ast.Node) bool {
		if p, ok := n.(*ast.PlaceholderStmt); ok && ph == nil {
			ph = p
		}
		return ph == nil
	})
	if ph == nil {
		return false
	}
	before, after := map[*Var]bool{}, map[*Var]bool{}
	mark := func(v *Var, pos ast.Node) {
		if !v.IsState() {
			return
		}
		if pos.Pos() < ph.Pos() {
			before[v] = true
		} else {
			after[v] = true
		}
	}
	for _, a := range md.accesses {
		if a.Write {
			mark(a.Var, a.Expr)
		}
	}
	for _, cs := range md.calls {
		if cs.Callee != nil && cs.Expr != nil && (cs.Kind == CallInternal || cs.Kind == CallLibrary) {
			for _, v := range cs.Callee.transWrites {
				mark(v, cs.Expr)
			}
		}
	}
	for v := range before {
		if after[v] {
			return true
		}
	}
	return false
}

// inlineLock detects a lock variable in the function body: a state
// variable tested in a condition and written at least twice.
func (f *Function) inlineLock() (Guard, bool) {
	count := map[*Var]int{}
	for _, a := range f.accesses {
		if a.Write && a.Via == nil {
			count[a.Var]++
		}
	}
	var found Guard
	ok := false
	multi := false
	for _, n := range count {
		if n >= 2 {
			multi = true
		}
	}
	if !multi {
		return found, false
	}
	for _, cond := range f.conds {
		ast.Inspect(cond, func(c ast.Node) bool {
			if id, isID := c.(*ast.Ident); isID {
				for _, a := range f.accesses {
					if a.Expr == id && !a.Write && count[a.Var] >= 2 && (a.Var.Type == nil || a.Var.Type.Name == "bool" || a.Var.Type.IsInteger()) {
						found, ok = Guard{Kind: GuardReentrancy, Node: cond}, true
					}
				}
			}
			return !ok
		})
		if ok {
			break
		}
	}
	return found, ok
}
