// Package flowutil holds helpers shared by the reentrancy, call, arithmetic
// and loop detectors: syntactic predicates, loop nesting, condition
// collection, operand taint and the reentrancy candidate search on top of
// the semantic model (solidity/sema).
package flowutil

import (
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Functions returns the implemented functions of m that are declared in a
// contract or abstract contract (not in an interface), plus free functions.
// Each function is returned once, in its declaring contract.
func Functions(m *sema.Model) []*sema.Function {
	var out []*sema.Function
	for _, fn := range m.Functions {
		if fn == nil || !fn.Implemented() {
			continue
		}
		if fn.Contract != nil && fn.Contract.IsInterface() {
			continue
		}
		out = append(out, fn)
	}
	return out
}

// InLibrary reports whether fn is declared in a library.
func InLibrary(fn *sema.Function) bool {
	return fn.Contract != nil && fn.Contract.IsLibrary()
}

// Unconvert strips parentheses and elementary conversions such as
// address(x), payable(x) and uint256(x).
func Unconvert(e ast.Expr) ast.Expr {
	for {
		e = ast.Unparen(e)
		c, ok := e.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return e
		}
		if _, ok := c.Fun.(*ast.ElementaryTypeExpr); !ok {
			return e
		}
		e = c.Args[0]
	}
}

// UnconvertAll strips parentheses, elementary conversions and contract or
// interface conversions such as IERC20(x).
func UnconvertAll(m *sema.Model, e ast.Expr) ast.Expr {
	for {
		e = Unconvert(e)
		c, ok := e.(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return e
		}
		id, ok := c.Fun.(*ast.Ident)
		if !ok || m.Ref(id).Kind != sema.SymContract {
			return e
		}
		e = c.Args[0]
	}
}

// IsSender reports whether e is msg.sender, tx.origin or _msgSender(),
// possibly converted.
func IsSender(e ast.Expr) bool {
	e = Unconvert(e)
	if ast.IsMember(e, "msg", "sender") || ast.IsMember(e, "tx", "origin") {
		return true
	}
	if c, ok := e.(*ast.CallExpr); ok && len(c.Args) == 0 {
		if id, ok := c.Fun.(*ast.Ident); ok && (id.Name == "_msgSender" || id.Name == "msgSender") {
			return true
		}
	}
	return false
}

// IsThis reports whether e is this or address(this).
func IsThis(e ast.Expr) bool {
	id, ok := Unconvert(e).(*ast.Ident)
	return ok && id.Name == "this"
}

// IsZeroLiteral reports whether e is the literal 0.
func IsZeroLiteral(e ast.Expr) bool {
	l, ok := ast.Unparen(e).(*ast.Literal)
	return ok && (l.Kind == ast.LitNumber || l.Kind == ast.LitHexNumber) && strings.Trim(l.Value, "0x_") == "" && l.Unit == ""
}

// IsLiteral reports whether e is a literal, a constant-only expression, or
// a constant state variable.
func IsLiteral(m *sema.Model, e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Literal:
		return true
	case *ast.Ident:
		s := m.Ref(x)
		return s.Kind == sema.SymVar && s.Var != nil && s.Var.Decl != nil && s.Var.Decl.Constant
	case *ast.BinaryExpr:
		return IsLiteral(m, x.X) && IsLiteral(m, x.Y)
	case *ast.UnaryExpr:
		return IsLiteral(m, x.X)
	case *ast.CallExpr:
		if _, ok := x.Fun.(*ast.ElementaryTypeExpr); ok && len(x.Args) == 1 {
			return IsLiteral(m, x.Args[0])
		}
		// type(uint256).max and the like
		return false
	case *ast.MemberExpr:
		if c, ok := x.X.(*ast.CallExpr); ok {
			if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "type" {
				return true
			}
		}
	}
	return false
}

// Text returns the source text of n in file f with all white space
// removed, for textual comparison of expressions.
func Text(f *sema.File, n ast.Node) string {
	if f == nil || f.Source == nil || n == nil {
		return ""
	}
	s := f.Source.Slice(n.Span())
	return strings.Join(strings.Fields(s), "")
}

// StateRoot returns the state variable (or storage pointer local) at the
// root of e (x in x, x[i], x.f[i]), or nil.
func StateRoot(m *sema.Model, e ast.Expr) *sema.Var {
	if v := m.RootVar(e); v != nil && (v.IsState() || v.IsStoragePointer()) {
		return v
	}
	return nil
}

// RefersTo reports whether the tree rooted at n mentions variable v.
func RefersTo(m *sema.Model, n ast.Node, v *sema.Var) bool {
	found := false
	Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		if id, ok := x.(*ast.Ident); ok {
			if s := m.Ref(id); s.Kind == sema.SymVar && s.Var == v {
				found = true
			}
		}
		return true
	})
	return found
}

// MentionsState reports whether n reads a storage state variable.
func MentionsState(m *sema.Model, n ast.Node) bool {
	found := false
	Inspect(n, func(x ast.Node) bool {
		if found {
			return false
		}
		if id, ok := x.(*ast.Ident); ok {
			if s := m.Ref(id); s.Kind == sema.SymVar && s.Var.IsState() {
				found = true
			}
		}
		return true
	})
	return found
}

// Inspect is ast.Inspect that tolerates a nil root and never passes nil to f.
func Inspect(n ast.Node, f func(ast.Node) bool) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			return false
		}
		return f(x)
	})
}

// Bodies returns the body of fn and of the modifiers it invokes.
func Bodies(fn *sema.Function) []*ast.Block {
	var out []*ast.Block
	if fn.Def != nil && fn.Def.Body != nil {
		out = append(out, fn.Def.Body)
	}
	for _, mc := range fn.Modifiers {
		if mc.Modifier != nil && mc.Modifier.Def != nil && mc.Modifier.Def.Body != nil {
			out = append(out, mc.Modifier.Def.Body)
		}
	}
	return out
}

// Conditions returns the condition expressions found in fn's body and
// modifiers: require/assert arguments, if, loop and ternary conditions.
func Conditions(fn *sema.Function) []ast.Expr {
	out := fn.Conditions()
	for _, mc := range fn.Modifiers {
		if mc.Modifier != nil {
			out = append(out, mc.Modifier.Conditions()...)
		}
	}
	return out
}

// IsRelational reports whether op is <, >, <= or >=.
func IsRelational(op lexer.Kind) bool {
	return op == lexer.Lt || op == lexer.Gt || op == lexer.Le || op == lexer.Ge
}

// Comparisons returns the relational and equality comparisons inside the
// given conditions.
func Comparisons(conds []ast.Expr) []*ast.BinaryExpr {
	var out []*ast.BinaryExpr
	for _, c := range conds {
		Inspect(c, func(n ast.Node) bool {
			if b, ok := n.(*ast.BinaryExpr); ok && (IsRelational(b.Op) || b.Op == lexer.Eq || b.Op == lexer.Ne) {
				out = append(out, b)
			}
			return true
		})
	}
	return out
}

// IsLoop reports whether n is a loop statement.
func IsLoop(n ast.Node) bool {
	switch n.(type) {
	case *ast.ForStmt, *ast.WhileStmt, *ast.DoWhileStmt:
		return true
	}
	return false
}

// WalkLoops calls f for every node under root with the innermost loop
// statement whose body, condition or post expression contains the node (nil
// outside loops). Nodes in a for loop's init statement are not inside it.
func WalkLoops(root ast.Node, f func(n ast.Node, loop ast.Stmt)) {
	if root == nil {
		return
	}
	v := &loopVisitor{f: f}
	ast.Walk(v, root)
}

type loopVisitor struct {
	f     func(ast.Node, ast.Stmt)
	stack []ast.Node
	// marks are the indices in stack of the loops and function-like
	// declarations, innermost last, so finding the innermost loop costs
	// O(loop nesting) rather than O(depth): a deeply nested expression
	// (a + a + ... 100k terms) stays linear.
	marks []int
}

func (v *loopVisitor) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		if k := len(v.stack) - 1; k >= 0 {
			if m := len(v.marks) - 1; m >= 0 && v.marks[m] == k {
				v.marks = v.marks[:m]
			}
			v.stack = v.stack[:k]
		}
		return nil
	}
	v.f(n, v.innermost(n))
	switch n.(type) {
	case *ast.ForStmt, *ast.WhileStmt, *ast.DoWhileStmt, *ast.FunctionDefinition, *ast.ModifierDefinition:
		v.marks = append(v.marks, len(v.stack))
	}
	v.stack = append(v.stack, n)
	return v
}

func (v *loopVisitor) innermost(n ast.Node) ast.Stmt {
	for i := len(v.marks) - 1; i >= 0; i-- {
		switch l := v.stack[v.marks[i]].(type) {
		case *ast.ForStmt:
			if l.Init != nil {
				sp, is := n.Span(), l.Init.Span()
				if is.Start <= sp.Start && sp.End <= is.End {
					continue
				}
			}
			return l
		case *ast.WhileStmt:
			return l
		case *ast.DoWhileStmt:
			return l
		case *ast.FunctionDefinition, *ast.ModifierDefinition:
			return nil
		}
	}
	return nil
}

// UserKinds are the taint sources treated as attacker-chosen values for
// arithmetic and casts: parameters, msg.value and msg.data.
const UserKinds = sema.SrcParam | sema.SrcValue | sema.SrcData

// OperandTaint returns the taint kinds of an arithmetic operand in fn. A
// state variable element (balances[to]) is not controlled by its key, so
// indexing a state variable contributes no taint; .length neither.
func OperandTaint(m *sema.Model, fn *sema.Function, e ast.Expr) sema.SourceKind {
	return operandTaint(m, fn, e, 0)
}

func operandTaint(m *sema.Model, fn *sema.Function, e ast.Expr, depth int) sema.SourceKind {
	if depth > 4 {
		return 0
	}
	depth++
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.IndexExpr:
		if StateRoot(m, x) != nil {
			return 0
		}
	case *ast.MemberExpr:
		if x.Member != nil && x.Member.Name == "length" {
			return 0
		}
		if StateRoot(m, x) != nil {
			return 0
		}
	case *ast.Ident:
		s := m.Ref(x)
		if s.Kind == sema.SymVar && s.Var != nil {
			switch s.Var.Kind {
			case sema.VarState, sema.VarConstant:
				return 0
			case sema.VarLocal, sema.VarReturn:
				return localTaint(m, fn, s.Var, depth)
			}
		}
	case *ast.BinaryExpr:
		return operandTaint(m, fn, x.X, depth) | operandTaint(m, fn, x.Y, depth)
	case *ast.CondExpr:
		return operandTaint(m, fn, x.Then, depth) | operandTaint(m, fn, x.Else, depth)
	case *ast.CallExpr:
		if _, ok := x.Fun.(*ast.ElementaryTypeExpr); ok && len(x.Args) == 1 {
			return operandTaint(m, fn, x.Args[0], depth)
		}
		// A computed function result is not a value the caller picks freely.
		return 0
	}
	return fn.Taint(e).Kinds
}

// HasGuardKind reports whether fn has a guard of kind k.
func HasGuardKind(fn *sema.Function, k sema.GuardKind) bool {
	return fn.Guards().Has(k)
}

// AccessControlled reports whether fn is protected by an owner/role check
// (or a tx.origin check, which other detectors report).
func AccessControlled(fn *sema.Function) bool {
	g := fn.Guards()
	if g.AccessControl || g.TxOrigin {
		return true
	}
	for _, mc := range fn.Modifiers {
		if len(mc.Name) > 4 && strings.HasPrefix(mc.Name, "only") && mc.Name[4] >= 'A' && mc.Name[4] <= 'Z' {
			return true
		}
	}
	return false
}

// SignatureChecked reports whether fn or one of its callees verifies a
// signature (ecrecover, ECDSA.recover, SignatureChecker) or a Merkle
// proof, which authorizes the caller's inputs.
func SignatureChecked(fn *sema.Function) bool {
	seen := map[*sema.Function]bool{}
	var visit func(f *sema.Function, depth int) bool
	visit = func(f *sema.Function, depth int) bool {
		if f == nil || seen[f] || depth > 4 {
			return false
		}
		seen[f] = true
		for _, cs := range f.Calls() {
			n := strings.ToLower(cs.Method)
			if n == "ecrecover" || strings.Contains(n, "recover") || strings.Contains(n, "signature") ||
				strings.Contains(n, "verify") || strings.Contains(n, "validate") {
				return true
			}
		}
		for _, c := range f.Callees() {
			if visit(c, depth+1) {
				return true
			}
		}
		return false
	}
	return visit(fn, 0)
}

// LocalInit returns the initializer or the single assigned value of local
// variable v in fn, or nil if v is assigned more than once.
func LocalInit(m *sema.Model, fn *sema.Function, v *sema.Var) ast.Expr {
	if v == nil || fn.Def == nil || fn.Def.Body == nil {
		return nil
	}
	var val ast.Expr
	count := 0
	Inspect(fn.Def.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.VarDeclStmt:
			if len(x.Decls) == 1 && x.Decls[0] != nil && m.VarOf(x.Decls[0]) == v {
				if x.Value != nil {
					val = x.Value
					count++
				}
			}
		case *ast.AssignExpr:
			if id, ok := ast.Unparen(x.LHS).(*ast.Ident); ok {
				if s := m.Ref(id); s.Kind == sema.SymVar && s.Var == v {
					val = x.RHS
					count++
					if x.Op != lexer.Assign {
						count++
					}
				}
			}
		}
		return true
	})
	if count != 1 {
		return nil
	}
	return val
}

// LocalVar returns the local variable or parameter named by e, or nil.
func LocalVar(m *sema.Model, e ast.Expr) *sema.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	s := m.Ref(id)
	if s.Kind != sema.SymVar || s.Var == nil || s.Var.Kind == sema.VarState || s.Var.Kind == sema.VarConstant {
		return nil
	}
	return s.Var
}

// UncheckedCalls returns the call sites selected by keep whose result is
// discarded, or assigned to a success variable that is never read.
func UncheckedCalls(m *sema.Model, keep func(*sema.CallSite) bool) []*sema.CallSite {
	var out []*sema.CallSite
	for _, fn := range Functions(m) {
		bodies := []*sema.CallSite{}
		bodies = append(bodies, fn.Calls()...)
		for _, cs := range bodies {
			if cs.Expr == nil || cs.Function != fn || !keep(cs) || cs.ReturnChecked || cs.InTry {
				continue
			}
			if cs.ReturnUsed && (cs.SuccessVar == nil || varUsed(m, fn, cs.SuccessVar)) {
				continue
			}
			out = append(out, cs)
		}
	}
	for _, md := range m.Modifiers {
		for _, cs := range md.Calls() {
			if cs.Expr == nil || !keep(cs) || cs.ReturnChecked || cs.InTry || cs.ReturnUsed {
				continue
			}
			out = append(out, cs)
		}
	}
	return out
}

// varUsed reports whether local v is read anywhere in fn's body.
func varUsed(m *sema.Model, fn *sema.Function, v *sema.Var) bool {
	used := false
	Inspect(fn.Def.Body, func(n ast.Node) bool {
		if used {
			return false
		}
		switch x := n.(type) {
		case *ast.VariableDeclaration:
			return false
		case *ast.AssignExpr:
			if id, ok := ast.Unparen(x.LHS).(*ast.Ident); ok && x.Op == lexer.Assign {
				if s := m.Ref(id); s.Var == v {
					Inspect(x.RHS, func(n ast.Node) bool {
						if id, ok := n.(*ast.Ident); ok && m.Ref(id).Var == v {
							used = true
						}
						return !used
					})
					return false
				}
			}
		case *ast.Ident:
			if s := m.Ref(x); s.Kind == sema.SymVar && s.Var == v {
				used = true
			}
		}
		return true
	})
	return used
}

// localTaint is the union of the operand taint of the values assigned to
// local v in fn (a local read from storage is not caller-controlled even
// if its key is; a tuple from a call is a computed value).
func localTaint(m *sema.Model, fn *sema.Function, v *sema.Var, depth int) sema.SourceKind {
	var k sema.SourceKind
	Inspect(fn.Def.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.VarDeclStmt:
			if len(x.Decls) == 1 && x.Decls[0] != nil && x.Value != nil && m.VarOf(x.Decls[0]) == v {
				k |= operandTaint(m, fn, x.Value, depth)
			}
		case *ast.AssignExpr:
			if id, ok := ast.Unparen(x.LHS).(*ast.Ident); ok {
				if s := m.Ref(id); s.Kind == sema.SymVar && s.Var == v {
					k |= operandTaint(m, fn, x.RHS, depth)
				}
			}
		}
		return true
	})
	return k
}
