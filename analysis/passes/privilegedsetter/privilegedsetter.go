package privilegedsetter

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports unguarded writes of privileged state variables.
var Analyzer = &analysis.Analyzer{
	Name:  "unprotected-privileged-setter",
	Title: "Unprotected write of privileged state",
	Doc: analysis.Doc{
		Summary: "A public function without access control assigns a privileged state variable " +
			"(owner, admin, role, oracle, fee, treasury, minter, ...) from caller-supplied data.",
		Exploit: "`function changeOwner(address _new) public { owner = _new; }`: the attacker calls " +
			"changeOwner(attacker) and then every onlyOwner function (withdraw, mint, upgrade).",
		Recommendation: "Protect the setter with the same check that guards the privilege (onlyOwner, " +
			"onlyRole) and prefer two-step ownership transfers.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryAccessControl,
	SWC:        "SWC-105",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	access := authutil.AccessVars(m)
	rep := authutil.NewReporter(pass)
	for _, r := range authutil.Unguarded(m) {
		e := r.Entry
		if e.Guards().Initializer || strings.HasPrefix(strings.ToLower(e.Name), "init") || e.NamedLikeContract {
			continue
		}
		assigns := authutil.Assignments(r.Fn.Def.Body)
		for _, a := range r.Fn.Accesses() {
			if !a.Write || a.Via != nil || !a.Var.IsState() {
				continue
			}
			as := assigns[a.Expr]
			if as == nil || as.Op != lexer.Assign {
				continue
			}
			v := a.Var
			if !privileged(v, access[v]) || !direct(r, as, access[v]) || readsInConds(m, r, v) {
				continue
			}
			rep.Report(e, authutil.HeaderNode(e), 0, "%s lets anyone set privileged state variable %s", e.Name, v.Name)
		}
	}
	return nil, nil
}

// privileged reports whether v has the shape and name (or use) of a
// privileged variable.
func privileged(v *sema.Var, usedInCheck bool) bool {
	t := v.Type
	if t == nil {
		return false
	}
	l := strings.ToLower(v.Name)
	if strings.Contains(l, "implementation") || strings.Contains(l, "growth") || strings.Contains(l, "total") ||
		strings.Contains(l, "accrued") || strings.Contains(l, "collected") || strings.Contains(l, "cumulative") {
		return false
	}
	named := authutil.PrivilegedName(v.Name)
	switch t.Kind {
	case sema.TypeElementary, sema.TypeContract:
		if t.IsAddressLike() {
			return named || usedInCheck && !authutil.Unprivileged(v.Name)
		}
		if t.IsInteger() {
			return named && (strings.Contains(l, "fee") || strings.Contains(l, "price") || strings.Contains(l, "rate"))
		}
	case sema.TypeMapping:
		if t.Key == nil || !t.Key.IsAddress() && !strings.Contains(l, "role") {
			return false
		}
		if named {
			return true
		}
		return usedInCheck && (t.Elem == nil || t.Elem.Kind != sema.TypeMapping) && !authutil.Unprivileged(v.Name)
	}
	return false
}

// direct reports whether the assignment stores caller-chosen data: the
// right-hand side (or, for a mapping, the key) is a parameter of the
// entry, passed down, or msg.sender granting itself a checked privilege.
func direct(r authutil.Reach, as *ast.AssignExpr, usedInCheck bool) bool {
	idx := authutil.Indices(as.LHS)
	if len(idx) == 0 {
		rhs := authutil.Unconvert(as.RHS)
		if authutil.IsSender(rhs) {
			return true
		}
		return isParam(r, rhs)
	}
	last := idx[len(idx)-1]
	if last == nil {
		return false
	}
	// x[msg.sender][k] = v: the caller configures only its own entry
	// (operator approvals, delegations), which grants nothing over others.
	for _, ix := range idx[:len(idx)-1] {
		if ix != nil && authutil.IsSender(ix) {
			return false
		}
	}
	if authutil.IsSender(last) {
		// Self-grant: admins[msg.sender] = true, only for checked,
		// single-level mappings.
		return usedInCheck && len(idx) == 1 && truthy(as.RHS)
	}
	return isParam(r, authutil.Unconvert(last))
}

// isParam reports an identifier naming a parameter of the reached
// function that carries a parameter of the entry.
func isParam(r authutil.Reach, e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	for _, p := range r.Fn.Params {
		if p.Name == id.Name {
			return authutil.EntryControlled(r.Entry, r.Fn, e, false)
		}
	}
	return false
}

// truthy reports true or a non-zero number literal.
func truthy(e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.Literal)
	return ok && lit.Value != "false" && lit.Value != "0"
}

// readsInConds reports whether a condition of the entry or the reached
// function reads v (a one-time setter or an explicit precondition).
func readsInConds(m *sema.Model, r authutil.Reach, v *sema.Var) bool {
	for _, fn := range []*sema.Function{r.Entry, r.Fn} {
		for _, c := range fn.Conditions() {
			if ast.Contains(c, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				return ok && m.Ref(id).Var == v
			}) {
				return true
			}
		}
	}
	return false
}
