package sema

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

// Assertion helpers are internal or free functions that revert unless a
// boolean parameter holds, such as Balancer's
//
//	function _require(bool condition, uint256 errorCode) pure {
//	    if (!condition) _revert(errorCode);
//	}
//
// A call _require(a >= b, ...) is then a condition exactly like
// require(a >= b): guards, bounds checks and replay checks read it the same
// way. The model finds such helpers by their body, not their name.

// AssertedParams returns the indices of the boolean parameters f reverts
// without: f returns nothing and tests the bare parameter (p or !p) in a
// require/assert or an if condition, directly or by passing it on to
// another assertion helper.
func (f *Function) AssertedParams() []int { return f.asserted }

// Conditions returns the branch and assertion conditions in f's body, in
// source order: those of ast.Conditions plus the asserted arguments of
// calls to assertion helpers (see AssertedParams).
func (f *Function) Conditions() []ast.Expr {
	if f.Def == nil || f.Def.Body == nil {
		return nil
	}
	return f.File.model.ConditionsIn(f.Def.Body)
}

// Conditions returns the conditions in md's body, like Function.Conditions.
func (md *Modifier) Conditions() []ast.Expr {
	if md.Def == nil || md.Def.Body == nil {
		return nil
	}
	return md.File.model.ConditionsIn(md.Def.Body)
}

// ConditionsIn returns ast.Conditions(body) plus the asserted arguments of
// the assertion-helper calls inside body (see Function.AssertedParams).
func (m *Model) ConditionsIn(body ast.Node) []ast.Expr {
	out := ast.Conditions(body)
	ast.Inspect(body, func(n ast.Node) bool {
		if ce, ok := n.(*ast.CallExpr); ok {
			out = append(out, m.assertedArgs(ce)...)
		}
		return true
	})
	return out
}

// assertedArgs returns the arguments of ce that its callee asserts.
func (m *Model) assertedArgs(ce *ast.CallExpr) []ast.Expr {
	cs := m.callOf[ce]
	if cs == nil || cs.Callee == nil || len(cs.Callee.asserted) == 0 {
		return nil
	}
	var out []ast.Expr
	for _, i := range cs.Callee.asserted {
		if i < len(ce.Args) {
			out = append(out, ce.Args[i])
		}
	}
	return out
}

// computeAsserted finds the assertion helpers, iterating to a fixpoint so
// a helper that forwards its parameter to another helper is one too.
func (m *Model) computeAsserted() {
	for round := 0; round < 4; round++ {
		changed := false
		for _, fn := range m.Functions {
			if fn.Def == nil || fn.Def.Body == nil || len(fn.Returns) > 0 || len(fn.asserted) > 0 {
				continue
			}
			if fn.Contract != nil && fn.IsPubliclyReachable() {
				continue
			}
			var idx []int
			for i, p := range fn.Params {
				if p.Type == nil || p.Type.Kind != TypeElementary || p.Type.Name != "bool" {
					continue
				}
				if m.assertsParam(fn, p) {
					idx = append(idx, i)
				}
			}
			if len(idx) > 0 {
				fn.asserted = idx
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// assertsParam reports whether fn's body tests the bare parameter p (p or
// !p) as a condition.
func (m *Model) assertsParam(fn *Function, p *Var) bool {
	isP := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == lexer.Not {
			e = ast.Unparen(u.X)
		}
		id, ok := e.(*ast.Ident)
		return ok && m.refs[id].Var == p
	}
	for _, c := range fn.conds {
		if isP(c) {
			return true
		}
	}
	for _, ce := range fn.stmtCalls {
		for _, a := range m.assertedArgs(ce) {
			if isP(a) {
				return true
			}
		}
	}
	return false
}

// AlwaysReverts reports whether every execution of f ends in a revert: its
// body's last top-level statement reverts (revert, throw, revert(...), or
// an assembly block ending in revert(...), Safe's simulateAndRevert) and
// nothing returns earlier. Such a function leaves no state change behind,
// whatever it calls on the way.
func (f *Function) AlwaysReverts() bool {
	if f.Def == nil || f.Def.Body == nil || len(f.Def.Body.Stmts) == 0 {
		return false
	}
	if !revertsAtEnd(f.Def.Body.Stmts[len(f.Def.Body.Stmts)-1]) {
		return false
	}
	early := false
	ast.Inspect(f.Def.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ReturnStmt:
			early = true
		case *ast.YulCall:
			if x.Fun != nil && (x.Fun.Name == "return" || x.Fun.Name == "stop" || x.Fun.Name == "selfdestruct") {
				early = true
			}
		}
		return !early
	})
	return !early
}

func revertsAtEnd(s ast.Stmt) bool {
	switch x := s.(type) {
	case *ast.RevertStmt, *ast.ThrowStmt:
		return true
	case *ast.ExprStmt:
		if ce, ok := x.X.(*ast.CallExpr); ok {
			if id, ok := ce.Fun.(*ast.Ident); ok && id.Name == "revert" {
				return true
			}
		}
	case *ast.AssemblyStmt:
		if x.Body != nil && len(x.Body.Stmts) > 0 {
			if es, ok := x.Body.Stmts[len(x.Body.Stmts)-1].(*ast.YulExprStmt); ok {
				if c, ok := es.X.(*ast.YulCall); ok && c.Fun != nil && c.Fun.Name == "revert" {
					return true
				}
			}
		}
	case *ast.Block:
		if x != nil && len(x.Stmts) > 0 {
			return revertsAtEnd(x.Stmts[len(x.Stmts)-1])
		}
	}
	return false
}

// NeverCompletes reports whether no deployable contract can run fn to
// completion: fn always reverts, or its body unconditionally calls (as a
// top-level statement) an internal function whose implementation in every
// concrete contract that inherits fn always reverts — Chainlink's
// OCR3Capability disables OCR2Base.transmit by overriding _report with a
// revert. It is false when no concrete contract inherits fn.
func (m *Model) NeverCompletes(fn *Function) bool {
	if fn.AlwaysReverts() {
		return true
	}
	if fn.Def == nil || fn.Def.Body == nil || fn.Contract == nil {
		return false
	}
	var concrete []*Contract
	for _, c := range m.Contracts {
		if (c == fn.Contract || c.DerivesFrom(fn.Contract)) && c.IsConcrete() {
			concrete = append(concrete, c)
		}
	}
	if len(concrete) == 0 {
		return false
	}
	for _, s := range fn.Def.Body.Stmts {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		ce, ok := es.X.(*ast.CallExpr)
		if !ok {
			continue
		}
		cs := m.callOf[ce]
		if cs == nil || cs.Callee == nil || cs.Kind != CallInternal {
			continue
		}
		all := true
		for _, c := range concrete {
			impl := c.Dispatch(cs.Callee)
			if impl == nil || !impl.AlwaysReverts() {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
