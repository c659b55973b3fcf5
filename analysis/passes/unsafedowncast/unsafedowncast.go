package unsafedowncast

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports narrowing integer conversions of unbounded values.
var Analyzer = &analysis.Analyzer{
	Name:  "unsafe-downcast",
	Title: "Unsafe integer downcast",
	Doc: analysis.Doc{
		Summary: "A value is explicitly converted to a narrower integer type without a bounds check. " +
			"The conversion silently drops the high-order bits, also in Solidity >= 0.8.",
		Exploit: "`stakes[msg.sender].amount = uint96(amount)` records 0 for a deposit of 2^96 tokens " +
			"while the full amount is credited elsewhere; a later withdrawal or vote weight uses the " +
			"truncated value.",
		Recommendation: "Use OpenZeppelin SafeCast (toUint128, toUint96, ...) or require the value to " +
			"be at most type(uintN).max before casting.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryArithmetic,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	for _, fn := range flowutil.Functions(m) {
		if flowutil.InLibrary(fn) || authutil.TestCode(fn) || usesSafeCast(fn) {
			continue
		}
		var cmps []*ast.BinaryExpr
		var conds []ast.Expr
		flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
			ce, ok := n.(*ast.CallExpr)
			if !ok || len(ce.Args) != 1 {
				return true
			}
			et, ok := ce.Fun.(*ast.ElementaryTypeExpr)
			if !ok || et.Type == nil {
				return true
			}
			to := sema.Elementary(et.Type.Name)
			bits := to.Bits()
			if bits == 0 || bits >= 256 {
				return true
			}
			arg := ce.Args[0]
			from := m.TypeOf(arg)
			if !from.IsInteger() || from.Bits() <= bits {
				return true
			}
			if conds == nil {
				conds = flowutil.Conditions(fn)
				cmps = flowutil.Comparisons(conds)
			}
			if safe(m, fn, arg, bits, cmps, ce) {
				return true
			}
			rep.Report(fn, ce, 0, "unsafe downcast: %s is truncated to %s without a bounds check",
				flowutil.Text(fn.File, arg), to.Name)
			return true
		})
	}
	return nil, nil
}

// usesSafeCast reports contracts attaching or calling a SafeCast library.
func usesSafeCast(fn *sema.Function) bool {
	if fn.Contract != nil && (fn.Contract.UsesLibrary("SafeCast") || fn.Contract.UsesLibrary("SafeCastLib")) {
		return true
	}
	for _, c := range fn.Calls() {
		if c.Kind == sema.CallLibrary && c.Callee != nil && c.Callee.Contract != nil && strings.Contains(c.Callee.Contract.Name, "SafeCast") {
			return true
		}
	}
	return false
}

// safe reports a cast argument that cannot exceed the target width or that
// is bounded by an earlier comparison.
func safe(m *sema.Model, fn *sema.Function, arg ast.Expr, bits int, cmps []*ast.BinaryExpr, at ast.Node) bool {
	arg = ast.Unparen(arg)
	if flowutil.IsLiteral(m, arg) {
		return true
	}
	if bits >= 32 && blockDerived(m, fn, arg) {
		return true
	}
	if id, ok := arg.(*ast.Ident); ok && identifier(id.Name) {
		return true
	}
	switch x := arg.(type) {
	case *ast.BinaryExpr:
		switch x.Op {
		case lexer.Mod, lexer.BitAnd, lexer.Sar, lexer.Shr:
			return true
		}
	case *ast.CallExpr:
		// type(uint128).max, gasleft() and similar computed values are
		// trusted; a bounded helper result is the callee's business.
		if _, ok := x.Fun.(*ast.ElementaryTypeExpr); !ok {
			return true
		}
	case *ast.MemberExpr:
		if x.Member != nil && x.Member.Name == "length" {
			return true
		}
	}
	if unpacked(fn, arg) {
		return true
	}
	// Variables of the argument compared before the cast.
	var vars []*sema.Var
	flowutil.Inspect(arg, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if s := m.Ref(id); s.Kind == sema.SymVar && s.Var != nil {
				vars = append(vars, s.Var)
			}
		}
		return true
	})
	text := flowutil.Text(fn.File, arg)
	for _, b := range cmps {
		if b.Pos() > at.Pos() && inBody(fn, b) {
			continue
		}
		if !flowutil.IsRelational(b.Op) && b.Op != lexer.Eq {
			continue
		}
		if flowutil.Text(fn.File, flowutil.Unconvert(b.X)) == text || flowutil.Text(fn.File, flowutil.Unconvert(b.Y)) == text {
			return true
		}
		for _, v := range vars {
			if flowutil.RefersTo(m, b, v) {
				return true
			}
		}
	}
	return false
}

// unpacked reports a cast argument that the function also shifts or
// masks: a packed word split into fields (`uint192(x >> 64), uint64(x)`),
// where truncation is the intent.
func unpacked(fn *sema.Function, arg ast.Expr) bool {
	text := flowutil.Text(fn.File, flowutil.Unconvert(arg))
	found := false
	flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if found || !ok {
			return !found
		}
		if b.Op == lexer.Sar || b.Op == lexer.Shr || b.Op == lexer.Shl || b.Op == lexer.BitAnd {
			if flowutil.Text(fn.File, flowutil.Unconvert(b.X)) == text {
				found = true
			}
		}
		return true
	})
	return found
}

// inBody reports whether n lies in fn's own body (not a modifier).
func inBody(fn *sema.Function, n ast.Node) bool {
	s, b := n.Span(), fn.Def.Body.Span()
	return b.Start <= s.Start && s.End <= b.End
}

// blockDerived reports an expression mentioning a block value, directly
// or through a local variable assigned once.
func blockDerived(m *sema.Model, fn *sema.Function, e ast.Expr) bool {
	found := false
	flowutil.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		x, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		if blockValue(x) {
			found = true
			return false
		}
		if v := flowutil.LocalVar(m, x); v != nil && v.Kind == sema.VarLocal {
			if init := flowutil.LocalInit(m, fn, v); init != nil && ast.Contains(init, func(n ast.Node) bool {
				x, ok := n.(ast.Expr)
				return ok && blockValue(x)
			}) {
				found = true
			}
		}
		return true
	})
	return found
}

// identifier reports names of hashes, ids and keys, which are truncated
// on purpose (uint192(proposalId)).
func identifier(name string) bool {
	l := strings.ToLower(name)
	return strings.HasSuffix(l, "id") || strings.HasSuffix(l, "hash") || strings.HasSuffix(l, "key")
}

// blockValue reports block.timestamp, now and block.number, which fit in
// 32 bits for the foreseeable future.
func blockValue(e ast.Expr) bool {
	return authutil.IsTimestamp(e) || ast.IsMember(e, "block", "number")
}
