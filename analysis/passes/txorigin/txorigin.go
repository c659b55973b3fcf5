package txorigin

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports tx.origin used for authorization.
var Analyzer = &analysis.Analyzer{
	Name:  "tx-origin",
	Title: "Authorization through tx.origin",
	Doc: analysis.Doc{
		Summary: "tx.origin is used in an authorization check. tx.origin is the account that " +
			"started the transaction, so any contract the authorized user calls can pass the check " +
			"on their behalf.",
		Exploit: "The wallet checks `require(tx.origin == owner)` in `transfer`. The attacker " +
			"convinces the owner to call a harmless-looking contract (an airdrop claim) whose " +
			"fallback calls `wallet.transfer(attacker, balance)`; tx.origin is the owner, so " +
			"the wallet is drained.",
		Recommendation: "Authorize with msg.sender instead of tx.origin.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryAccessControl,
	SWC:        "SWC-115",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	free := stateFreeOrigins(m)
	for n := range callerOrigins(m) {
		free[n] = true
	}
	for _, f := range pass.Files {
		check(pass, f.AST, free)
	}
	return nil, nil
}

// check reports the tx.origin uses in conditions and comparisons of unit.
func check(pass *analysis.Pass, unit *ast.SourceUnit, free map[ast.Node]bool) {
	var guards []ast.Expr
	eoaCheck := make(map[ast.Node]bool)
	ast.Inspect(unit, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt:
			guards = append(guards, n.Cond)
		case *ast.WhileStmt:
			guards = append(guards, n.Cond)
		case *ast.DoWhileStmt:
			guards = append(guards, n.Cond)
		case *ast.ForStmt:
			guards = append(guards, n.Cond)
		case *ast.CondExpr:
			guards = append(guards, n.Cond)
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "require" || id.Name == "assert") && len(n.Args) > 0 {
				guards = append(guards, n.Args[0])
			}
		case *ast.BinaryExpr:
			if n.Op == lexer.Eq || n.Op == lexer.Ne {
				guards = append(guards, n)
				x, y := ast.Unparen(n.X), ast.Unparen(n.Y)
				switch {
				case ast.IsMember(x, "tx", "origin") && ast.IsMember(y, "msg", "sender"):
					eoaCheck[x] = true
				case ast.IsMember(y, "tx", "origin") && ast.IsMember(x, "msg", "sender"):
					eoaCheck[y] = true
				}
			}
		}
		return true
	})
	reported := make(map[ast.Node]bool)
	// Only outermost conditions decide: in `o != address(0) && o != owner`
	// the inner comparison alone would look like a simulation guard.
	inner := make(map[ast.Node]bool)
	for _, g := range guards {
		if g == nil {
			continue
		}
		ast.Inspect(g, func(n ast.Node) bool {
			if n != nil && n != ast.Node(g) {
				inner[n] = true
			}
			return n != nil
		})
	}
	for _, g := range guards {
		if g != nil && !inner[g] && simulationGuard(g) {
			ast.Inspect(g, func(n ast.Node) bool {
				if n != nil && ast.IsMember(n, "tx", "origin") {
					reported[n] = true // exempt: part of a simulation guard
				}
				return n != nil
			})
		}
	}
	for _, g := range guards {
		if g == nil {
			continue
		}
		ast.Inspect(g, func(n ast.Node) bool {
			if n == nil {
				return false
			}
			if ast.IsMember(n, "tx", "origin") && !eoaCheck[n] && !reported[n] && !free[n] {
				reported[n] = true
				pass.Reportf(n, "tx.origin used for authorization; use msg.sender")
			}
			return true
		})
	}
}

// simulationGuard reports a condition that only compares tx.origin with
// constants, one of them the zero address: `tx.origin != address(0)`
// (Chainlink's _preventExecution). No transaction is signed by the zero
// address, so the check tells an eth_call simulation from a real
// transaction; it authorizes no one. Any comparison with a variable keeps
// the condition an authorization check.
func simulationGuard(g ast.Expr) bool {
	zero, other := false, false
	ast.Inspect(g, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
			return true
		}
		var rest ast.Expr
		switch {
		case ast.IsMember(ast.Unparen(b.X), "tx", "origin"):
			rest = b.Y
		case ast.IsMember(ast.Unparen(b.Y), "tx", "origin"):
			rest = b.X
		default:
			return true
		}
		lit, ok := constAddress(rest)
		switch {
		case !ok:
			other = true
		case strings.Trim(strings.TrimPrefix(strings.ToLower(lit), "0x"), "0") == "":
			zero = true
		}
		return false
	})
	return zero && !other
}

// constAddress returns the literal of a constant address expression:
// 0, 0x..., address(0), address(0x...).
func constAddress(e ast.Expr) (string, bool) {
	for i := 0; i < 4; i++ {
		e = ast.Unparen(e)
		ce, ok := e.(*ast.CallExpr)
		if !ok || len(ce.Args) != 1 {
			break
		}
		if _, ok := ce.Fun.(*ast.ElementaryTypeExpr); !ok {
			break
		}
		e = ce.Args[0]
	}
	lit, ok := e.(*ast.Literal)
	if !ok {
		return "", false
	}
	return lit.Value, true
}

// stateFreeOrigins returns the tx.origin expressions, in internal
// functions and modifiers, whose checks guard nothing that changes state:
// every public function whose execution passes through the check (through
// internal calls or a modifier) is a view, or writes no storage and sends
// no Ether. Such a
// check decides who may read or simulate (Chainlink's read access for
// off-chain callers, a registry's simulation-only checkUpkeep), and a
// phished origin gains nothing from passing it.
func stateFreeOrigins(m *sema.Model) map[ast.Node]bool {
	type owner = any // *sema.Function or *sema.Modifier
	callers := map[owner][]owner{}
	for _, fn := range m.Functions {
		for _, cs := range fn.Calls() {
			if cs.Callee != nil {
				callers[cs.Callee] = append(callers[cs.Callee], fn)
			}
		}
		for _, mc := range fn.Modifiers {
			if mc.Modifier != nil {
				callers[mc.Modifier] = append(callers[mc.Modifier], fn)
			}
		}
	}
	for _, md := range m.Modifiers {
		for _, cs := range md.Calls() {
			if cs.Callee != nil {
				callers[cs.Callee] = append(callers[cs.Callee], md)
			}
		}
	}
	memo := map[owner]bool{}
	free := func(start owner) bool {
		if v, ok := memo[start]; ok {
			return v
		}
		seen := map[owner]bool{start: true}
		queue := []owner{start}
		entries := 0
		ok := true
		for len(queue) > 0 && ok && len(seen) < 512 {
			o := queue[0]
			queue = queue[1:]
			if fn, isFn := o.(*sema.Function); isFn && fn.IsPubliclyReachable() {
				entries++
				if !fn.IsView() && (writesState(fn) || sendsValue(fn)) {
					ok = false
				}
			}
			for _, c := range callers[o] {
				if !seen[c] {
					seen[c] = true
					queue = append(queue, c)
				}
			}
		}
		memo[start] = ok && entries > 0 && len(queue) == 0
		return memo[start]
	}
	out := map[ast.Node]bool{}
	mark := func(o owner, body ast.Node) {
		if body == nil || !ast.Contains(body, func(n ast.Node) bool { return ast.IsMember(n, "tx", "origin") }) || !free(o) {
			return
		}
		ast.Inspect(body, func(n ast.Node) bool {
			if n != nil && ast.IsMember(n, "tx", "origin") {
				out[n] = true
			}
			return n != nil
		})
	}
	for _, fn := range m.Functions {
		// A public function answering an authorization question may gate
		// state changes in contracts we do not see: only internal helpers
		// and modifiers qualify.
		if fn.Def != nil && fn.Def.Body != nil && !fn.IsPubliclyReachable() {
			mark(fn, fn.Def.Body)
		}
	}
	for _, md := range m.Modifiers {
		if md.Def != nil && md.Def.Body != nil {
			mark(md, md.Def.Body)
		}
	}
	return out
}

// writesState reports whether fn or its callees write storage other
// than the lock variables of their reentrancy guards (set and cleared
// again within the call).
func writesState(fn *sema.Function) bool {
	locks := map[*sema.Var]bool{}
	for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
		for _, g := range f.Guards().Guards {
			if g.Kind == sema.GuardReentrancy && g.Modifier != nil {
				for _, v := range g.Modifier.StateWrites() {
					locks[v] = true
				}
			}
		}
	}
	for _, v := range fn.TransitiveStateWrites() {
		if !locks[v] {
			return true
		}
	}
	return false
}

// sendsValue reports an Ether transfer in fn or its callees.
func sendsValue(fn *sema.Function) bool {
	for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
		for _, cs := range f.Calls() {
			if cs.Kind == sema.CallTransfer || cs.Kind == sema.CallSend || cs.Value != nil {
				return true
			}
		}
	}
	return false
}

// callerOrigins returns the tx.origin expressions compared with a
// parameter that every call site in the model fills with msg.sender
// (Chainlink's hasAccess(_user, ...) returning `_user == tx.origin`,
// called as hasAccess(msg.sender, msg.data)): the check asks whether the
// direct caller is the transaction's origin, the EOA-caller idiom split
// across a call, not who the origin is. Call sites are internal calls of
// the function and member calls with its name and arity.
func callerOrigins(m *sema.Model) map[ast.Node]bool {
	out := map[ast.Node]bool{}
	for _, fn := range m.Functions {
		if fn.Def == nil || fn.Def.Body == nil {
			continue
		}
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			b, ok := n.(*ast.BinaryExpr)
			if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
				return true
			}
			for _, side := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
				origin := ast.Unparen(side[0])
				if !ast.IsMember(origin, "tx", "origin") {
					continue
				}
				id, ok := ast.Unparen(side[1]).(*ast.Ident)
				if !ok {
					continue
				}
				v := m.Ref(id).Var
				for i, p := range fn.Params {
					if p == v && v != nil && senderEverywhere(m, fn, i) {
						out[origin] = true
					}
				}
			}
			return true
		})
	}
	return out
}

// senderEverywhere reports whether fn has call sites and all pass
// msg.sender (or _msgSender()) as argument i. Foundry test files (*.t.sol)
// query access for arbitrary accounts in assertions; they are not uses.
func senderEverywhere(m *sema.Model, fn *sema.Function, i int) bool {
	sites := 0
	for _, f := range m.Functions {
		if f.File != nil && f.File.Source != nil && strings.HasSuffix(f.File.Source.Name(), ".t.sol") {
			continue
		}
		for _, cs := range f.Calls() {
			if cs.Callee != fn && (cs.Kind != sema.CallHighLevel || cs.Method != fn.Name || len(cs.Args) != len(fn.Params)) {
				continue
			}
			if i >= len(cs.Args) || !isSender(cs.Args[i]) {
				return false
			}
			sites++
		}
	}
	for _, md := range m.Modifiers {
		for _, cs := range md.Calls() {
			if cs.Callee != fn && (cs.Kind != sema.CallHighLevel || cs.Method != fn.Name || len(cs.Args) != len(fn.Params)) {
				continue
			}
			if i >= len(cs.Args) || !isSender(cs.Args[i]) {
				return false
			}
			sites++
		}
	}
	return sites > 0
}

func isSender(e ast.Expr) bool {
	e = ast.Unparen(e)
	if ast.IsMember(e, "msg", "sender") {
		return true
	}
	if ce, ok := e.(*ast.CallExpr); ok && len(ce.Args) == 0 {
		if id, ok := ce.Fun.(*ast.Ident); ok && (id.Name == "_msgSender" || id.Name == "msgSender") {
			return true
		}
	}
	return false
}
