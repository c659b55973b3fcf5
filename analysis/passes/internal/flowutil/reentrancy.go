package flowutil

import (
	"sort"
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// CallNode returns the AST node of a call site (the call expression, or the
// Yul call for inline assembly), or nil.
func CallNode(cs *sema.CallSite) ast.Node {
	if cs.Expr != nil {
		return cs.Expr
	}
	if cs.Yul != nil {
		return cs.Yul
	}
	return nil
}

// ethHelpers are library helpers that send Ether.
var ethHelpers = map[string]bool{
	"sendValue": true, "safeTransferETH": true, "functionCallWithValue": true,
}

// SendsETH reports whether cs transfers a non-zero Ether amount with
// enough gas to re-enter: call{value:}, .call.value(), high-level calls
// with value, and Ether-sending library helpers (not send/transfer).
func SendsETH(cs *sema.CallSite) bool {
	switch cs.Kind {
	case sema.CallLowLevel, sema.CallHighLevel:
		if cs.Value == nil || IsZeroLiteral(cs.Value) {
			return false
		}
		// A library forwarding its value parameter (Address.functionCallWithValue)
		// sends Ether only when its caller passes some; SafeERC20 passes 0.
		if cs.Function != nil && InLibrary(cs.Function) {
			if _, ok := ast.Unparen(cs.Value).(*ast.Ident); ok {
				return false
			}
		}
		return true
	case sema.CallLibrary:
		return ethHelpers[cs.Method]
	}
	return false
}

// CanReenter reports whether an external call may hand control to code
// that re-enters the caller: low-level calls (not staticcall), high-level
// non-view calls not on this, and external library helpers. send and
// transfer (2300 gas), creations and static calls cannot.
func CanReenter(cs *sema.CallSite) bool {
	if cs == nil || !cs.IsExternal() {
		return false
	}
	switch cs.Kind {
	case sema.CallLowLevel:
		return cs.Method == "call" || cs.Method == "callcode" || cs.Method == "delegatecall"
	case sema.CallHighLevel:
		if cs.IsStatic() || (cs.Target != nil && IsThis(cs.Target)) {
			return false
		}
		if cs.Callee == nil && isViewName(cs.Method) {
			return false
		}
		return true
	case sema.CallLibrary:
		return true
	}
	return false
}

// isViewName reports conventional read-only ERC-20/oracle getters, used
// when the target interface is unknown.
func isViewName(name string) bool {
	switch name {
	case "balanceOf", "allowance", "totalSupply", "decimals", "symbol", "name", "getReserves",
		"latestRoundData", "latestAnswer", "owner", "ownerOf", "getApproved", "isApprovedForAll",
		"supportsInterface", "token0", "token1", "getPair", "price0CumulativeLast", "price1CumulativeLast":
		return true
	}
	return false
}

// Reentrancy is an external call in a state-changing entry point after
// which state variables may be written.
type Reentrancy struct {
	// Fn is the publicly reachable function analysed.
	Fn *sema.Function
	// Call is the external call (possibly inside an internal callee).
	Call *sema.CallSite
	// Vars are the state variables written after the call, sorted by name.
	Vars []*sema.Var
	// Node is where to report: the external call, or the internal call in
	// Fn leading to it when the external call is inside a library.
	Node ast.Node
}

// Reentrancies returns, for each publicly reachable non-view function
// without a reentrancy guard (unless withGuarded), the external calls that
// can re-enter and the state variables written after them.
func Reentrancies(m *sema.Model, withGuarded bool) []Reentrancy {
	var out []Reentrancy
	for _, fn := range Functions(m) {
		if !fn.IsPubliclyReachable() || fn.IsView() {
			continue
		}
		if (!withGuarded && fn.Guards().Reentrancy) || AccessControlled(fn) {
			continue
		}
		restores := restoreWrites(m, fn)
		byCall := map[*sema.CallSite]map[*sema.Var]bool{}
		var order []*sema.CallSite
		for _, w := range fn.WritesAfterCall() {
			if !CanReenter(w.Call) || w.Var == nil || !w.Var.IsState() || CallNode(w.Call) == nil {
				continue
			}
			if w.CallVia != nil && w.CallVia.Callee != nil && w.CallVia.Callee.Guards().Reentrancy {
				continue
			}
			if isLockVar(w.Var) || restores[w.Node] || trustedCall(m, w.Call) ||
				(w.Call.Function != nil && InLibrary(w.Call.Function) && libEntriesTrusted(m, fn)) {
				continue
			}
			if byCall[w.Call] == nil {
				byCall[w.Call] = map[*sema.Var]bool{}
				order = append(order, w.Call)
			}
			byCall[w.Call][w.Var] = true
		}
		for _, cs := range order {
			var vars []*sema.Var
			for v := range byCall[cs] {
				vars = append(vars, v)
			}
			sort.Slice(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name })
			node := CallNode(cs)
			if cs.Function != nil && InLibrary(cs.Function) && cs.Function != fn {
				for _, w := range fn.WritesAfterCall() {
					if w.Call == cs && w.CallVia != nil && w.CallVia.Expr != nil {
						node = w.CallVia.Expr
						break
					}
				}
			}
			out = append(out, Reentrancy{Fn: fn, Call: cs, Vars: vars, Node: node})
		}
	}
	return out
}

// isLockVar reports a conventional reentrancy lock variable name.
func isLockVar(v *sema.Var) bool {
	n := strings.ToLower(v.Name)
	return n == "locked" || n == "_locked" || n == "unlocked" || n == "_status" || n == "reentrancylock" ||
		n == "_notentered" || n == "lock" || n == "_lock" || n == "entered" || n == "_entered"
}

// ReadsVar reports whether fn (transitively, including modifiers) reads v.
func ReadsVar(fn *sema.Function, v *sema.Var) bool {
	for _, r := range fn.TransitiveStateReads() {
		if r == v {
			return true
		}
	}
	for _, mc := range fn.Modifiers {
		if mc.Modifier == nil {
			continue
		}
		for _, r := range mc.Modifier.TransitiveStateReads() {
			if r == v {
				return true
			}
		}
	}
	return false
}

// ContractsWith returns the concrete-or-abstract contracts (not interfaces
// or libraries) whose linearization contains fn's declaring contract.
func ContractsWith(m *sema.Model, fn *sema.Function) []*sema.Contract {
	if fn.Contract == nil {
		return nil
	}
	var out []*sema.Contract
	for _, c := range fn.Contract.Derived {
		if !c.IsInterface() && !c.IsLibrary() {
			out = append(out, c)
		}
	}
	return out
}

// VarNames formats variable names for a message.
func VarNames(vs []*sema.Var) string {
	names := make([]string, 0, len(vs))
	for _, v := range vs {
		names = append(names, v.Name)
	}
	if len(names) > 4 {
		names = append(names[:4], "...")
	}
	return strings.Join(names, ", ")
}

// Reporter deduplicates findings by node.
type Reporter struct {
	seen map[ast.Node]bool
}

// First reports whether n has not been seen before, and marks it.
func (r *Reporter) First(n ast.Node) bool {
	if r.seen == nil {
		r.seen = map[ast.Node]bool{}
	}
	if r.seen[n] {
		return false
	}
	r.seen[n] = true
	return true
}

// restoreWrites returns the write targets in fn (and its callees) of
// assignments that restore a state variable from a local saved from it
// before (AccessManager's `_executionId = executionIdBefore`), a lock-like
// pattern that is not a reentrancy hazard.
func restoreWrites(m *sema.Model, fn *sema.Function) map[ast.Node]bool {
	out := map[ast.Node]bool{}
	fns := append([]*sema.Function{fn}, fn.Callees()...)
	for _, f := range fns {
		if f.Def == nil || f.Def.Body == nil {
			continue
		}
		Inspect(f.Def.Body, func(n ast.Node) bool {
			a, ok := n.(*ast.AssignExpr)
			if !ok || a.Op != lexer.Assign {
				return true
			}
			sv := StateRoot(m, a.LHS)
			lv := LocalVar(m, a.RHS)
			if sv == nil || lv == nil {
				return true
			}
			if init := LocalInit(m, f, lv); init != nil && StateRoot(m, init) == sv {
				out[a.LHS] = true
				out[a] = true
			}
			return true
		})
	}
	return out
}

// flashCallbacks are callback methods of flash loans and swaps whose
// callers re-check balances after the call by design.
func flashCallback(method string) bool {
	switch method {
	case "onFlashLoan", "executeOperation", "uniswapV2Call", "pancakeCall", "receiveFlashLoan":
		return true
	}
	return strings.HasSuffix(method, "Callback")
}

// trustedCall reports calls whose target the contract controls: a contract
// it has just created in the same function, an immutable or constant
// address, or a getter returning one; and flash-loan callbacks.
func trustedCall(m *sema.Model, cs *sema.CallSite) bool {
	if cs.Kind == sema.CallHighLevel && flashCallback(cs.Method) {
		return true
	}
	target := cs.Target
	if id, ok := target.(*ast.Ident); ok && m.Ref(id).Kind == sema.SymContract {
		target = nil // L.f(x, ...): the receiver is the library
	}
	if target == nil && cs.Kind == sema.CallLibrary && len(cs.Args) > 0 {
		target = cs.Args[0] // SafeERC20.safeTransfer(token, ...)
	}
	if target == nil {
		return false
	}
	t := UnconvertAll(m, target)
	if lv := LocalVar(m, t); lv != nil && (lv.Kind == sema.VarLocal || lv.Kind == sema.VarReturn) && cs.Function != nil {
		for _, c := range cs.Function.Calls() {
			if c.Kind == sema.CallCreation {
				return true
			}
		}
		return false
	}
	return TrustedAddress(m, t)
}

// TrustedAddress reports an immutable or constant state variable, or a
// parameterless internal getter returning one.
func TrustedAddress(m *sema.Model, e ast.Expr) bool {
	switch x := UnconvertAll(m, e).(type) {
	case *ast.Ident:
		s := m.Ref(x)
		return s.Kind == sema.SymVar && s.Var != nil && s.Var.Kind == sema.VarState &&
			(s.Var.Decl.Immutable || s.Var.Decl.Constant)
	case *ast.CallExpr:
		cs := m.CallSiteOf(x)
		if cs == nil || cs.Kind != sema.CallInternal || cs.Callee == nil || len(x.Args) != 0 ||
			cs.Callee.Def == nil || cs.Callee.Def.Body == nil || len(cs.Callee.Def.Body.Stmts) != 1 {
			return false
		}
		if r, ok := cs.Callee.Def.Body.Stmts[0].(*ast.ReturnStmt); ok && r.Value != nil {
			if id, ok := UnconvertAll(m, r.Value).(*ast.Ident); ok {
				return TrustedAddress(m, id)
			}
		}
	}
	return false
}

// libEntriesTrusted reports whether every library call made by fn or its
// non-library callees that may reach an external call targets a trusted
// address (SafeERC20.safeTransferFrom(_asset, ...) with _asset immutable).
// It is false when there is no such call.
func libEntriesTrusted(m *sema.Model, fn *sema.Function) bool {
	fns := []*sema.Function{fn}
	for _, c := range fn.Callees() {
		if !InLibrary(c) {
			fns = append(fns, c)
		}
	}
	n := 0
	for _, f := range fns {
		for _, cs := range f.Calls() {
			if cs.Kind != sema.CallLibrary {
				continue
			}
			if cs.Callee != nil {
				if _, ok := cs.Callee.MakesExternalCall(); !ok {
					continue
				}
			} else if !cs.IsExternal() {
				continue
			}
			n++
			if !trustedCall(m, cs) {
				return false
			}
		}
	}
	return n > 0
}
