package arbitrarytransferfrom

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports token transfers from caller-chosen accounts in
// unguarded functions.
var Analyzer = &analysis.Analyzer{
	Name:  "arbitrary-transfer-from",
	Title: "transferFrom from an arbitrary account",
	Doc: analysis.Doc{
		Summary: "An unguarded function calls transferFrom with a `from` address supplied by the " +
			"caller. Anyone can move the tokens of every account that approved this contract.",
		Exploit: "`function deposit(address from, uint256 amount) external { token.transferFrom(from, " +
			"address(this), amount); balances[msg.sender] += amount; }`: the attacker passes a victim " +
			"with an open approval as from and is credited with the victim's tokens.",
		Recommendation: "Use msg.sender as the source of transferFrom, or require that from == " +
			"msg.sender or that the caller holds an allowance/approval from `from`.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryToken,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	signed := map[*sema.Function]bool{}
	for _, r := range authutil.Unguarded(m) {
		if flowutil.InLibrary(r.Fn) {
			// Reported at the library call in the contract.
			continue
		}
		for _, cs := range r.Fn.Calls() {
			from := source(cs)
			if from == nil || !authutil.CallerChosen(r.Entry, r.Fn, from) {
				continue
			}
			bodies := []ast.Node{r.Entry.Def.Body}
			if r.Fn != r.Entry {
				bodies = append(bodies, r.Fn.Def.Body)
			}
			if authutil.Validated(m, bodies, cs.Expr, from, authutil.ParamVars(r.Entry, r.Fn, from)) || allowanceSpent(m, r.Fn, bodies, from) || permitted(m, bodies, from) {
				continue
			}
			if _, ok := signed[r.Entry]; !ok {
				signed[r.Entry] = flowutil.SignatureChecked(r.Entry)
			}
			if signed[r.Entry] {
				continue
			}
			rep.Report(r.Fn, cs.Expr, 0, "%s moves tokens from the caller-chosen account %s with %s: anyone can spend other users' approvals",
				r.Entry.Name, flowutil.Text(r.Fn.File, from), cs.Method)
		}
	}
	return nil, nil
}

// source returns the from argument of an external transferFrom or
// safeTransferFrom call, or nil.
func source(cs *sema.CallSite) ast.Expr {
	if cs.Expr == nil || (cs.Method != "transferFrom" && cs.Method != "safeTransferFrom") {
		return nil
	}
	switch cs.Kind {
	case sema.CallHighLevel:
		if len(cs.Args) >= 3 && !authutil.IsThis(cs.Target) {
			return cs.Args[0]
		}
	case sema.CallLibrary, sema.CallUnresolved:
		switch {
		case len(cs.Args) == 4:
			return cs.Args[1]
		case len(cs.Args) == 3 && cs.Target != nil:
			return cs.Args[0]
		}
	}
	return nil
}

// permitted reports a permit(from, ...) call in the bodies: the owner's
// signature authorizes the transfer.
func permitted(m *sema.Model, bodies []ast.Node, from ast.Expr) bool {
	ft, ok := authutil.Unconvert(from).(*ast.Ident)
	if !ok {
		return false
	}
	v := m.Ref(ft).Var
	for _, b := range bodies {
		hit := ast.Contains(b, func(n ast.Node) bool {
			ce, ok := n.(*ast.CallExpr)
			if !ok || !strings.Contains(strings.ToLower(authutil.CalleeName(ce)), "permit") {
				return false
			}
			for _, a := range ce.Args {
				if id, ok := authutil.Unconvert(a).(*ast.Ident); ok && (id.Name == ft.Name || (v != nil && m.Ref(id).Var == v)) {
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

// allowanceSpent reports a write of a lookup indexed by both from and
// msg.sender (allowed[from][msg.sender] -= amount): the caller spends an
// allowance granted by from.
func allowanceSpent(m *sema.Model, fn *sema.Function, bodies []ast.Node, from ast.Expr) bool {
	ft := flowutil.Text(fn.File, flowutil.Unconvert(from))
	for _, b := range bodies {
		for lhs := range authutil.Assignments(b) {
			if authutil.StateRoot(m, lhs) == nil {
				continue
			}
			sender, src := false, false
			for _, ix := range authutil.Indices(lhs) {
				if authutil.IsSender(ix) {
					sender = true
				}
				if flowutil.Text(fn.File, authutil.Unconvert(ix)) == ft {
					src = true
				}
			}
			if sender && src {
				return true
			}
		}
	}
	return false
}
