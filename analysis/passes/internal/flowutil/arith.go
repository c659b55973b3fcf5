package flowutil

import (
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// ArithSite is an overflow-prone arithmetic operation: a binary +, - or *,
// or a compound +=, -=, *=.
type ArithSite struct {
	// Node is the BinaryExpr or AssignExpr.
	Node ast.Expr
	// Op is Add, Sub or Mul.
	Op lexer.Kind
	// X and Y are the operands (for compound assignments, the target and
	// the assigned value).
	X, Y ast.Expr
	// Unchecked reports an operation inside an unchecked block.
	Unchecked bool
}

// OpString returns the operator symbol.
func (a ArithSite) OpString() string {
	switch a.Op {
	case lexer.Add:
		return "+"
	case lexer.Sub:
		return "-"
	case lexer.Mul:
		return "*"
	}
	return "?"
}

// ArithSites returns the +, -, * operations of fn's body that are not part
// of a loop header (counters) and not inside a condition, except a vacuous
// unsigned check `a - b >= 0`, whose subtraction is returned.
func ArithSites(fn *sema.Function) []ArithSite {
	if fn.Def == nil || fn.Def.Body == nil {
		return nil
	}
	var out []ArithSite
	var walk func(n ast.Node, unchecked bool)
	walk = func(n ast.Node, unchecked bool) {
		Inspect(n, func(x ast.Node) bool {
			switch s := x.(type) {
			case *ast.Block:
				if s.Unchecked && !unchecked {
					for _, st := range s.Stmts {
						walk(st, true)
					}
					return false
				}
			case *ast.ForStmt:
				walk(s.Init, unchecked)
				walk(s.Body, unchecked)
				return false
			case *ast.IfStmt:
				vacuous(s.Cond, unchecked, &out)
				walk(s.Then, unchecked)
				walk(s.Else, unchecked)
				return false
			case *ast.WhileStmt:
				walk(s.Body, unchecked)
				return false
			case *ast.DoWhileStmt:
				walk(s.Body, unchecked)
				return false
			case *ast.CallExpr:
				if id, ok := s.Fun.(*ast.Ident); ok && (id.Name == "require" || id.Name == "assert") {
					if len(s.Args) > 0 {
						vacuous(s.Args[0], unchecked, &out)
					}
					return false
				}
			case *ast.CondExpr:
				walk(s.Then, unchecked)
				walk(s.Else, unchecked)
				return false
			case *ast.BinaryExpr:
				if s.Op == lexer.Add || s.Op == lexer.Sub || s.Op == lexer.Mul {
					out = append(out, ArithSite{Node: s, Op: s.Op, X: s.X, Y: s.Y, Unchecked: unchecked})
				}
			case *ast.AssignExpr:
				var op lexer.Kind
				switch s.Op {
				case lexer.AssignAdd:
					op = lexer.Add
				case lexer.AssignSub:
					op = lexer.Sub
				case lexer.AssignMul:
					op = lexer.Mul
				}
				if op != 0 {
					out = append(out, ArithSite{Node: s, Op: op, X: s.LHS, Y: s.RHS, Unchecked: unchecked})
				}
			}
			return true
		})
	}
	walk(fn.Def.Body, false)
	return out
}

// vacuous appends the subtraction of an always-true unsigned check
// `a - b >= 0` (or `0 <= a - b`) found in cond.
func vacuous(cond ast.Expr, unchecked bool, out *[]ArithSite) {
	Inspect(cond, func(x ast.Node) bool {
		b, ok := x.(*ast.BinaryExpr)
		if !ok {
			return true
		}
		var e ast.Expr
		switch {
		case b.Op == lexer.Ge && IsZeroLiteral(b.Y):
			e = b.X
		case b.Op == lexer.Le && IsZeroLiteral(b.X):
			e = b.Y
		}
		if s, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && s.Op == lexer.Sub {
			*out = append(*out, ArithSite{Node: s, Op: s.Op, X: s.X, Y: s.Y, Unchecked: unchecked})
		}
		return true
	})
}

// TaintedOperands returns the operands of a whose value the caller
// chooses (UserKinds). msg.value added to a balance is not considered
// (the Ether supply bounds it).
func TaintedOperands(m *sema.Model, fn *sema.Function, a ArithSite) []ast.Expr {
	var out []ast.Expr
	for _, e := range []ast.Expr{a.X, a.Y} {
		if a.Op == lexer.Sub && e == a.X {
			continue // underflow needs a large subtrahend
		}
		k := OperandTaint(m, fn, e) & UserKinds
		if k == 0 || IsLiteral(m, e) {
			continue
		}
		if k == sema.SrcValue && a.Op == lexer.Add {
			continue
		}
		if a.Op == lexer.Add && widens(m, a, e) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// ArithGuarded reports whether the operation is bounded by a check in fn:
// every tainted operand appears in a relational comparison (not against
// zero) of a require/assert/if/loop/ternary condition, or the result is
// stored in a local that such a condition examines (c = a + b;
// require(c >= a)).
func ArithGuarded(m *sema.Model, fn *sema.Function, a ArithSite, tainted []ast.Expr, conds []ast.Expr) bool {
	var cmps []string
	for _, c := range Comparisons(conds) {
		if !IsRelational(c.Op) || IsZeroLiteral(c.X) || IsZeroLiteral(c.Y) {
			continue
		}
		if s, ok := ast.Unparen(c.X).(*ast.BinaryExpr); ok && s.Op == lexer.Sub && (c.Op == lexer.Ge) && IsZeroLiteral(c.Y) {
			continue
		}
		cmps = append(cmps, Text(fn.File, c))
	}
	mentioned := func(t string) bool {
		if t == "" {
			return false
		}
		for _, c := range cmps {
			if containsWord(c, t) {
				return true
			}
		}
		return false
	}
	all := len(tainted) > 0
	for _, e := range tainted {
		if !mentioned(Text(fn.File, ast.Unparen(e))) && !checkedElsewhere(m, fn, a, e) {
			all = false
			break
		}
	}
	if all {
		return true
	}
	if r := ResultLocal(m, fn, a.Node); r != nil {
		// c = a + b; require(c >= a) / assert(c / a == b)
		x, y := Text(fn.File, a.X), Text(fn.File, a.Y)
		for _, c := range Comparisons(conds) {
			t := Text(fn.File, c)
			if containsWord(t, r.Name) && (containsWord(t, x) || containsWord(t, y)) {
				return true
			}
		}
	}
	return false
}

// ResultLocal returns the local variable initialized with or assigned the
// value of e, if e is the whole right-hand side.
func ResultLocal(m *sema.Model, fn *sema.Function, e ast.Expr) *sema.Var {
	var v *sema.Var
	Inspect(fn.Def.Body, func(n ast.Node) bool {
		if v != nil {
			return false
		}
		switch x := n.(type) {
		case *ast.VarDeclStmt:
			if len(x.Decls) == 1 && x.Decls[0] != nil && x.Value != nil && ast.Unparen(x.Value) == e {
				v = m.VarOf(x.Decls[0])
			}
		case *ast.AssignExpr:
			if x.Op == lexer.Assign && ast.Unparen(x.RHS) == e {
				v = LocalVar(m, x.LHS)
			}
		}
		return true
	})
	return v
}

// containsWord reports whether s contains w not preceded or followed by an
// identifier character.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !identChar(s[j-1])) && (end == len(s) || !identChar(s[end])) {
			return true
		}
		i = j + 1
	}
}

func identChar(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// checkedElsewhere reports, for an operation in an unchecked block, that
// operand e takes part in the same kind of checked (reverting) operation
// elsewhere in fn: `_totalSupply += amount; unchecked { _balances[to] +=
// amount; }` cannot overflow once the first addition succeeded.
func checkedElsewhere(m *sema.Model, fn *sema.Function, a ArithSite, e ast.Expr) bool {
	if !a.Unchecked {
		return false
	}
	t := Text(fn.File, ast.Unparen(e))
	for _, b := range ArithSites(fn) {
		if b.Unchecked || b.Op != a.Op {
			continue
		}
		if Text(fn.File, ast.Unparen(b.X)) == t || Text(fn.File, ast.Unparen(b.Y)) == t {
			return true
		}
	}
	return false
}

// widens reports adding a value of at most 128 bits to a 256-bit one,
// which cannot overflow in practice.
func widens(m *sema.Model, a ArithSite, e ast.Expr) bool {
	other := a.X
	if e == a.X {
		other = a.Y
	}
	te, to := m.TypeOf(e), m.TypeOf(other)
	if !te.IsInteger() || !to.IsInteger() {
		return false
	}
	return (te.Bits() <= 128 && to.Bits() == 256) || (to.Bits() <= 128 && te.Bits() == 256)
}

// TrustedInput reports whether every caller-controlled source of e in fn
// is a parameter of a public function that only authorized callers can
// call (an access-control guard: onlyOwner, isRoot(msg.sender), an
// authorizer's canPerform): an administrator choosing a delay or a fee is
// not an attacker. Any other source (msg.value, external call results,
// parameters of open functions) keeps e untrusted.
func TrustedInput(m *sema.Model, fn *sema.Function, e ast.Expr) bool {
	t := fn.Taint(e)
	if t.Kinds&(sema.SrcUser&^sema.SrcParam) != 0 || len(t.Params) == 0 {
		return false
	}
	for _, p := range t.Params {
		owner := paramOwner(m, p)
		if owner == nil || !owner.Guards().AccessControl {
			return false
		}
	}
	return true
}

func paramOwner(m *sema.Model, p *sema.Var) *sema.Function {
	for _, f := range m.Functions {
		for _, q := range f.Params {
			if q == p {
				return f
			}
		}
	}
	return nil
}
