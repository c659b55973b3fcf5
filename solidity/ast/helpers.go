package ast

// Unparen strips parentheses: solc has no parenthesised-expression node and
// neither do we, so `(x)` is a one-element, non-array TupleExpr.
func Unparen(e Expr) Expr {
	for {
		t, ok := e.(*TupleExpr)
		if !ok || t.IsArray || len(t.Elems) != 1 || t.Elems[0] == nil {
			return e
		}
		e = t.Elems[0]
	}
}

// Conditions returns the branch conditions inside body, in source order:
// if, while, do-while and for conditions, ternary conditions and the first
// argument of require/assert calls.
func Conditions(body Node) []Expr {
	if body == nil {
		return nil
	}
	var out []Expr
	Inspect(body, func(n Node) bool {
		switch x := n.(type) {
		case *IfStmt:
			out = append(out, x.Cond)
		case *WhileStmt:
			out = append(out, x.Cond)
		case *DoWhileStmt:
			out = append(out, x.Cond)
		case *ForStmt:
			if x.Cond != nil {
				out = append(out, x.Cond)
			}
		case *CondExpr:
			out = append(out, x.Cond)
		case *CallExpr:
			if id, ok := x.Fun.(*Ident); ok && (id.Name == "require" || id.Name == "assert") && len(x.Args) > 0 {
				out = append(out, x.Args[0])
			}
		}
		return n != nil
	})
	return out
}

// Root returns the base of an access path: the expression that index,
// index-range and member accesses and parentheses are applied to, e.g. b in
// b[x].y[1:2] or (b).y. It is what an assignment like b[x].y = v writes
// through.
func Root(e Expr) Expr {
	for {
		switch x := Unparen(e).(type) {
		case *IndexExpr:
			e = x.X
		case *IndexRangeExpr:
			e = x.X
		case *MemberExpr:
			e = x.X
		default:
			return x
		}
	}
}

// IsMember reports whether n is the member access base.member on a plain
// (possibly parenthesized) identifier, e.g. IsMember(e, "msg", "sender").
// n itself is not unwrapped, so a walk that visits both (x) and x reports
// the member access once; callers wanting that pass Unparen(e).
func IsMember(n Node, base, member string) bool {
	m, ok := n.(*MemberExpr)
	if !ok || m.Member == nil || m.Member.Name != member {
		return false
	}
	id, ok := Unparen(m.X).(*Ident)
	return ok && id.Name == base
}

// Contains reports whether pred holds for some node of the tree rooted at n;
// it stops at the first.
func Contains(n Node, pred func(Node) bool) bool {
	if n == nil {
		return false
	}
	found := false
	Inspect(n, func(x Node) bool {
		if found || x == nil {
			return false
		}
		if pred(x) {
			found = true
			return false
		}
		return true
	})
	return found
}
