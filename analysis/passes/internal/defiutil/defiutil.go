// Package defiutil holds syntax and model helpers shared by the DeFi
// detectors: call and name matching, balance-of-this recognition,
// per-finding severity and simple expression walks.
package defiutil

import (
	"regexp"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// ReportSeverity reports a finding at node with severity sev instead of the
// analyzer's default.
func ReportSeverity(pass *analysis.Pass, node ast.Node, sev analysis.Severity, format string, args ...any) {
	orig := pass.Report
	pass.Report = func(f analysis.Finding) {
		f.Severity = sev
		if orig != nil {
			orig(f)
		}
	}
	pass.Reportf(node, format, args...)
	pass.Report = orig
}

// Unconvert strips parentheses and type conversions such as address(x),
// uint256(x), payable(x) and IERC20(x) (a call with one argument whose
// callee is an elementary type or a capitalized name).
func Unconvert(e ast.Expr) ast.Expr {
	for {
		e = ast.Unparen(e)
		ce, ok := e.(*ast.CallExpr)
		if !ok || len(ce.Args) != 1 || !IsConversion(ce) {
			return e
		}
		e = ce.Args[0]
	}
}

// IsConversion reports whether ce looks like a type conversion.
func IsConversion(ce *ast.CallExpr) bool {
	switch f := ce.Fun.(type) {
	case *ast.ElementaryTypeExpr:
		return true
	case *ast.Ident:
		return f.Name != "" && f.Name[0] >= 'A' && f.Name[0] <= 'Z' && len(ce.Args) == 1
	}
	return false
}

// CallName returns the called function or member name of ce ("" if none),
// looking through call options and .value()/.gas() wrappers.
func CallName(ce *ast.CallExpr) string {
	if ce == nil {
		return ""
	}
	fun := ce.Fun
	for {
		switch f := fun.(type) {
		case *ast.CallOptions:
			fun = f.X
			continue
		case *ast.Ident:
			return f.Name
		case *ast.MemberExpr:
			if f.Member != nil {
				return f.Member.Name
			}
		}
		return ""
	}
}

// CallTarget returns the receiver of a member call (x in x.f()), or nil.
func CallTarget(ce *ast.CallExpr) ast.Expr {
	fun := ce.Fun
	if o, ok := fun.(*ast.CallOptions); ok {
		fun = o.X
	}
	if m, ok := fun.(*ast.MemberExpr); ok {
		return m.X
	}
	return nil
}

// IsThis reports whether e is `this` or `address(this)`.
func IsThis(e ast.Expr) bool {
	id, ok := Unconvert(e).(*ast.Ident)
	return ok && id.Name == "this"
}

// IsSelfBalance reports whether e reads the contract's own balance:
// `token.balanceOf(address(this))`, `address(this).balance` or
// `selfBalance()`-style reads are not included.
func IsSelfBalance(e ast.Expr) bool {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.CallExpr:
		return CallName(x) == "balanceOf" && len(x.Args) == 1 && IsThis(x.Args[0]) && CallTarget(x) != nil
	case *ast.MemberExpr:
		return x.Member != nil && x.Member.Name == "balance" && IsThis(x.X)
	}
	return false
}

// IsZeroLiteral reports whether e is the number literal 0 (possibly
// converted, as in uint256(0)).
func IsZeroLiteral(e ast.Expr) bool {
	l, ok := Unconvert(e).(*ast.Literal)
	return ok && l.Kind == ast.LitNumber && (l.Value == "0" || l.Value == "0x0" || l.Value == "0x00")
}

// Names returns the identifier and member names mentioned in n.
func Names(n ast.Node) []string {
	var out []string
	if n == nil {
		return nil
	}
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.Ident:
			out = append(out, x.Name)
		case *ast.MemberExpr:
			if x.Member != nil {
				out = append(out, x.Member.Name)
			}
		}
		return x != nil
	})
	return out
}

// Mentions reports whether any identifier or member name in n matches re.
func Mentions(n ast.Node, re *regexp.Regexp) bool {
	for _, s := range Names(n) {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// StateRoot returns the state variable an lvalue or read expression is
// rooted at (b in b[x].y), or nil.
func StateRoot(m *sema.Model, e ast.Expr) *sema.Var {
	if v := m.RootVar(e); v != nil && v.Kind == sema.VarState {
		return v
	}
	return nil
}

// VarOfIdent returns the variable e refers to, if e is an identifier.
func VarOfIdent(m *sema.Model, e ast.Expr) *sema.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	s := m.Ref(id)
	if s.Kind == sema.SymVar {
		return s.Var
	}
	return nil
}

// RequireCond returns the condition of a require/assert call, or nil.
func RequireCond(ce *ast.CallExpr) ast.Expr {
	if id, ok := ce.Fun.(*ast.Ident); ok && (id.Name == "require" || id.Name == "assert") && len(ce.Args) > 0 {
		return ce.Args[0]
	}
	return nil
}

// HasWord reports whether name contains any of words, case-insensitively.
func HasWord(name string, words ...string) bool {
	l := strings.ToLower(name)
	for _, w := range words {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// FunctionName returns the function name, or its kind for special ones.
func FunctionName(fn *sema.Function) string {
	if fn.Name != "" {
		return fn.Name
	}
	return fn.Kind.String()
}
