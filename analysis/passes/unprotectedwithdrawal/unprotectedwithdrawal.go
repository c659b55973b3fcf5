package unprotectedwithdrawal

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports unguarded functions that pay out the contract's funds.
var Analyzer = &analysis.Analyzer{
	Name:  "unprotected-ether-withdrawal",
	Title: "Unprotected withdrawal of the contract's funds",
	Doc: analysis.Doc{
		Summary: "A public function sends the contract's Ether or tokens to msg.sender or to a " +
			"caller-chosen address, with no access control and no per-account accounting limiting " +
			"the amount.",
		Exploit: "`function withdrawAll(address to) public { to.transfer(address(this).balance); }` " +
			"lets anyone call withdrawAll(attacker) and drain every deposit.",
		Recommendation: "Restrict the function to the owner (onlyOwner/AccessControl), or pay only " +
			"the caller's recorded balance and zero it before the transfer.",
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
	rep := authutil.NewReporter(pass)
	skip := map[*sema.Function]bool{}
	for _, r := range authutil.Unguarded(m) {
		if _, done := skip[r.Entry]; !done {
			skip[r.Entry] = accounting(m, r.Entry)
		}
		if skip[r.Entry] {
			continue
		}
		for _, cs := range r.Fn.Calls() {
			dest, amount := payout(cs)
			if dest == nil || amount == nil {
				continue
			}
			if !authutil.IsSender(dest) && !authutil.EntryControlled(r.Entry, r.Fn, dest, true) {
				continue
			}
			if lit, ok := ast.Unparen(amount).(*ast.Literal); ok && (lit.Value == "0") {
				continue
			}
			if r.Fn != r.Entry && zeroEverywhere(r.Entry, r.Fn, amount) {
				continue // Address.functionCall passes value 0 to functionCallWithValue
			}
			if r.Fn.Taint(amount).Has(sema.SrcValue|sema.SrcExternalCall) || r.Entry.IsPayable() {
				continue
			}
			if r.Fn != r.Entry && stateConds(m, r.Fn) {
				continue
			}
			rep.Report(r.Fn, cs.Expr, 0, "%s sends funds to a caller-chosen address without access control", r.Entry.Name)
		}
	}
	return nil, nil
}

// payout returns the recipient and amount of an Ether or token transfer.
func payout(cs *sema.CallSite) (dest, amount ast.Expr) {
	if cs.Expr == nil {
		return nil, nil
	}
	switch cs.Kind {
	case sema.CallTransfer, sema.CallSend:
		return cs.Target, cs.Value
	case sema.CallLowLevel:
		if cs.Method == "call" && cs.Value != nil {
			return cs.Target, cs.Value
		}
	case sema.CallHighLevel:
		if cs.Method == "transfer" && len(cs.Args) == 2 {
			return cs.Args[0], cs.Args[1]
		}
	case sema.CallLibrary, sema.CallUnresolved:
		switch cs.Method {
		case "safeTransfer":
			switch len(cs.Args) {
			case 2:
				return cs.Args[0], cs.Args[1]
			case 3:
				return cs.Args[1], cs.Args[2]
			}
		case "sendValue", "safeTransferETH":
			switch len(cs.Args) {
			case 1:
				return cs.Target, cs.Args[0]
			case 2:
				return cs.Args[0], cs.Args[1]
			}
		}
	}
	return nil, nil
}

// accounting reports entries that keep per-account books or whose
// conditions depend on contract state: their payouts are rules of the
// protocol, not an open withdrawal.
func accounting(m *sema.Model, fn *sema.Function) bool {
	for _, v := range fn.TransitiveStateWrites() {
		if v.Type == nil || v.Type.Kind != sema.TypeElementary {
			return true
		}
	}
	return authutil.NamespacedBooks(m, fn) || stateConds(m, fn)
}

// stateConds reports a condition of fn reading contract state (other than
// the contract's own balance), a hash, or an external call result.
func stateConds(m *sema.Model, fn *sema.Function) bool {
	for _, c := range fn.Conditions() {
		if _, flag := ast.Unparen(c).(*ast.Ident); !flag && fn.Taint(c).Has(sema.SrcExternalCall) {
			return true
		}
		hit := ast.Contains(c, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok && authutil.IsSelfBalance(e) {
				return false
			}
			if authutil.IsHashCall(n) {
				return true
			}
			if ce, ok := n.(*ast.CallExpr); ok {
				if cs := m.CallSiteOf(ce); cs != nil && cs.Kind != sema.CallBuiltin && cs.Kind != sema.CallLibrary {
					return true
				}
			}
			if id, ok := n.(*ast.Ident); ok {
				s := m.Ref(id)
				return s.Kind == sema.SymVar && s.Var != nil && s.Var.IsState()
			}
			return false
		})
		if hit {
			return true
		}
	}
	return false
}

// zeroEverywhere reports an amount that is a parameter of the internal
// function fn to which every call site on the paths from entry (entry and
// the functions it reaches) passes a literal 0.
func zeroEverywhere(entry, fn *sema.Function, amount ast.Expr) bool {
	id, ok := ast.Unparen(amount).(*ast.Ident)
	if !ok {
		return false
	}
	idx := -1
	for i, p := range fn.Params {
		if p.Name != "" && p.Name == id.Name {
			idx = i
		}
	}
	if idx < 0 {
		return false
	}
	sites := 0
	for _, f := range append([]*sema.Function{entry}, entry.Callees()...) {
		for _, cs := range f.Calls() {
			if cs.Callee != fn {
				continue
			}
			args := cs.Args
			if cs.Kind == sema.CallLibrary && cs.Target != nil && len(args) == len(fn.Params)-1 {
				args = append([]ast.Expr{cs.Target}, args...) // x.f(a) with using-for
			}
			if idx >= len(args) {
				return false
			}
			lit, ok := ast.Unparen(args[idx]).(*ast.Literal)
			if !ok || lit.Value != "0" {
				return false
			}
			sites++
		}
	}
	return sites > 0
}
