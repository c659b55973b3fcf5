package ecrecoverzero

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports ecrecover results used without a zero-address check.
var Analyzer = &analysis.Analyzer{
	Name:  "ecrecover-zero-address",
	Title: "ecrecover result not checked for the zero address",
	Doc: analysis.Doc{
		Summary: "The address returned by ecrecover is compared with a value that may be zero, or " +
			"stored, without checking that it is not address(0). ecrecover returns zero for invalid " +
			"signatures.",
		Exploit: "`permit(owner, spender, value, v, r, s)` checks `ecrecover(digest, v, r, s) == owner`. " +
			"The attacker passes owner = address(0) with a garbage signature, the check passes, and the " +
			"zero address's allowance (e.g. burned tokens) is granted to the attacker.",
		Recommendation: "Require the recovered address to be non-zero, or use OpenZeppelin ECDSA.recover, " +
			"which reverts on invalid signatures.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategorySignature,
	SWC:        "SWC-117",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

// source is a call whose value is an unchecked ecrecover result, in fn.
type source struct {
	fn   *sema.Function
	call *ast.CallExpr
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	var srcs []source
	wrappers := map[*sema.Function]bool{}
	for _, fn := range flowutil.Functions(m) {
		if authutil.TestCode(fn) {
			continue
		}
		for _, rec := range authutil.Recoveries(fn) {
			if !rec.Raw {
				continue
			}
			srcs = append(srcs, source{fn, rec.Site.Expr})
			if returned(m, fn, rec.Site.Expr) && !zeroChecked(m, fn, rec.Site.Expr, nil) {
				wrappers[fn] = true
			}
		}
	}
	if len(wrappers) > 0 {
		for _, fn := range flowutil.Functions(m) {
			for _, cs := range fn.Calls() {
				if cs.Expr != nil && (cs.Kind == sema.CallInternal || cs.Kind == sema.CallLibrary) && wrappers[cs.Callee] {
					srcs = append(srcs, source{fn, cs.Expr})
				}
			}
		}
	}
	rep := authutil.NewReporter(pass)
	for _, s := range srcs {
		if flowutil.InLibrary(s.fn) || authutil.TestCode(s.fn) {
			continue
		}
		if what := misuse(m, s.fn, s.call); what != "" {
			rep.Report(s.fn, s.call, 0, "ecrecover result %s without checking it is not address(0): an invalid signature recovers to zero", what)
		}
	}
	return nil, nil
}

// holders returns the locals of fn assigned from call.
func holders(m *sema.Model, fn *sema.Function, call *ast.CallExpr) []*sema.Var {
	var out []*sema.Var
	flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.VarDeclStmt:
			if len(x.Decls) == 1 && x.Decls[0] != nil && x.Value != nil && flowutil.Unconvert(x.Value) == ast.Expr(call) {
				if v := m.VarOf(x.Decls[0]); v != nil {
					out = append(out, v)
				}
			}
		case *ast.AssignExpr:
			if x.Op == lexer.Assign && flowutil.Unconvert(x.RHS) == ast.Expr(call) {
				if v := flowutil.LocalVar(m, x.LHS); v != nil {
					out = append(out, v)
				}
			}
		}
		return true
	})
	return out
}

// is reports whether e is call or one of its holders.
func is(m *sema.Model, e ast.Expr, call *ast.CallExpr, hs []*sema.Var) bool {
	e = flowutil.Unconvert(e)
	if e == ast.Expr(call) {
		return true
	}
	if v := flowutil.LocalVar(m, e); v != nil {
		for _, h := range hs {
			if h == v {
				return true
			}
		}
	}
	return false
}

// returned reports whether fn returns the value of call.
func returned(m *sema.Model, fn *sema.Function, call *ast.CallExpr) bool {
	hs := holders(m, fn, call)
	hs = append(hs, fn.Returns...)
	found := false
	flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
		if rs, ok := n.(*ast.ReturnStmt); ok && rs.Value != nil && is(m, rs.Value, call, hs) {
			found = true
		}
		return !found
	})
	if !found {
		// Named return assigned from the call.
		for _, h := range holders(m, fn, call) {
			if h.Kind == sema.VarReturn {
				found = true
			}
		}
	}
	return found
}

// zeroChecked reports a condition of fn comparing the result of call (or
// the value other) with zero.
func zeroChecked(m *sema.Model, fn *sema.Function, call *ast.CallExpr, other ast.Expr) bool {
	hs := holders(m, fn, call)
	ot := ""
	if other != nil {
		ot = flowutil.Text(fn.File, flowutil.Unconvert(other))
	}
	for _, c := range fn.Conditions() {
		hit := ast.Contains(c, func(n ast.Node) bool {
			b, ok := n.(*ast.BinaryExpr)
			if !ok || (b.Op != lexer.Ne && b.Op != lexer.Eq && b.Op != lexer.Gt) {
				return false
			}
			for _, p := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
				if !authutil.IsZeroAddress(p[1]) {
					continue
				}
				if is(m, p[0], call, hs) || (ot != "" && flowutil.Text(fn.File, flowutil.Unconvert(p[0])) == ot) {
					return true
				}
			}
			return false
		})
		if hit {
			return true
		}
	}
	return false
}

// misuse describes how fn uses the ecrecover result of call unsafely, or
// returns "".
func misuse(m *sema.Model, fn *sema.Function, call *ast.CallExpr) string {
	hs := holders(m, fn, call)
	what := ""
	flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
		if what != "" {
			return false
		}
		switch x := n.(type) {
		case *ast.BinaryExpr:
			if x.Op != lexer.Eq && x.Op != lexer.Ne {
				return true
			}
			var other ast.Expr
			switch {
			case is(m, x.X, call, hs):
				other = x.Y
			case is(m, x.Y, call, hs):
				other = x.X
			default:
				return true
			}
			if mayBeZero(m, fn, other) && !zeroChecked(m, fn, call, other) {
				what = "is compared with " + flowutil.Text(fn.File, other)
			}
		case *ast.AssignExpr:
			if x.Op == lexer.Assign && is(m, x.RHS, call, hs) && authutil.StateRoot(m, x.LHS) != nil && !zeroChecked(m, fn, call, nil) {
				what = "is stored in " + flowutil.Text(fn.File, x.LHS)
			}
		}
		return true
	})
	return what
}

// mayBeZero reports a compared value that can be the zero address: a
// parameter or local, a mapping or array entry, or a state variable that
// no constructor or initializer sets.
func mayBeZero(m *sema.Model, fn *sema.Function, e ast.Expr) bool {
	e = flowutil.Unconvert(e)
	if authutil.IsSender(e) || authutil.IsThis(e) || authutil.IsZeroAddress(e) {
		return false
	}
	switch x := e.(type) {
	case *ast.IndexExpr:
		return authutil.StateRoot(m, x) != nil || fn.Taint(x).Has(sema.SrcParam)
	case *ast.MemberExpr:
		return authutil.StateRoot(m, x) != nil && authutil.Indices(x) != nil
	case *ast.Ident:
		s := m.Ref(x)
		if s.Kind != sema.SymVar || s.Var == nil {
			return false
		}
		switch s.Var.Kind {
		case sema.VarParam:
			return true
		case sema.VarLocal:
			return fn.Taint(x).Has(sema.SrcParam)
		case sema.VarState:
			return s.Var.IsState() && s.Var.Decl.Value == nil && !initialized(m, s.Var)
		}
	}
	return false
}

// initialized reports whether a constructor or an initializer assigns v.
func initialized(m *sema.Model, v *sema.Var) bool {
	for _, fn := range m.Functions {
		if fn.Kind != ast.FuncConstructor && !fn.Guards().Initializer {
			continue
		}
		for _, w := range fn.TransitiveStateWrites() {
			if w == v {
				return true
			}
		}
	}
	return false
}
