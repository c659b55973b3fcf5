package unprotectedupgrade

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports unprotected upgrade functions.
var Analyzer = &analysis.Analyzer{
	Name:  "unprotected-upgrade",
	Title: "Unprotected upgrade",
	Doc: analysis.Doc{
		Summary: "The implementation of an upgradeable contract can be replaced by anyone: an empty " +
			"_authorizeUpgrade, or an unguarded function writing the implementation address or slot.",
		Exploit: "The UUPS implementation overrides `_authorizeUpgrade(address) internal override {}`. " +
			"The attacker calls upgradeToAndCall(evil, data) on the proxy; evil's code now runs with the " +
			"proxy's storage and funds (or selfdestructs the implementation).",
		Recommendation: "Guard _authorizeUpgrade and every setter of the implementation with onlyOwner " +
			"or a role, and test that upgrades by other accounts revert.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryUpgradeability,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	for _, fn := range m.Functions {
		if fn.Name != "_authorizeUpgrade" || !fn.Implemented() || len(fn.Def.Body.Stmts) > 0 || authutil.TestCode(fn) {
			continue
		}
		if authutil.Protected(fn) || len(fn.Modifiers) > 0 {
			continue
		}
		rep.Report(fn, authutil.HeaderNode(fn), 0, "_authorizeUpgrade is empty: anyone can upgrade the implementation")
	}
	for _, r := range authutil.Unguarded(m) {
		if callsAuthorize(r.Entry) {
			continue
		}
		assigns := authutil.Assignments(r.Fn.Def.Body)
		for _, a := range r.Fn.Accesses() {
			if !a.Write || !a.Var.IsState() || !implName(a.Var.Name) {
				continue
			}
			as := assigns[a.Expr]
			if as == nil || as.Op != lexer.Assign || !authutil.EntryControlled(r.Entry, r.Fn, as.RHS, false) {
				continue
			}
			rep.Report(r.Entry, authutil.HeaderNode(r.Entry), 0, "%s lets anyone replace the implementation (%s)", r.Entry.Name, a.Var.Name)
		}
		for lhs, as := range assigns {
			if as.Op == lexer.Assign && slotWrite(lhs) && authutil.EntryControlled(r.Entry, r.Fn, as.RHS, false) {
				rep.Report(r.Entry, authutil.HeaderNode(r.Entry), 0, "%s lets anyone write the implementation slot", r.Entry.Name)
			}
		}
		if r.Fn.AssemblyWritesStorage() && asmImplSlot(r.Fn.Def.Body) && len(r.Entry.Params) > 0 {
			rep.Report(r.Entry, authutil.HeaderNode(r.Entry), 0, "%s lets anyone write the implementation slot", r.Entry.Name)
		}
	}
	return nil, nil
}

// implName reports implementation-pointer variable names.
func implName(name string) bool {
	l := strings.ToLower(strings.TrimLeft(name, "_"))
	return strings.Contains(l, "implementation") || l == "impl" || l == "logic" || l == "mastercopy" ||
		l == "logiccontract" || strings.HasSuffix(l, "impl")
}

// callsAuthorize reports entries that delegate authorization to the UUPS
// hook.
func callsAuthorize(fn *sema.Function) bool {
	for _, cs := range fn.Calls() {
		if cs.Method == "_authorizeUpgrade" {
			return true
		}
	}
	for _, c := range fn.Callees() {
		for _, cs := range c.Calls() {
			if cs.Method == "_authorizeUpgrade" {
				return true
			}
		}
	}
	return false
}

// slotWrite reports `StorageSlot.getAddressSlot(IMPLEMENTATION_SLOT).value`.
func slotWrite(lhs ast.Expr) bool {
	me, ok := ast.Unparen(lhs).(*ast.MemberExpr)
	if !ok || me.Member == nil || me.Member.Name != "value" {
		return false
	}
	ce, ok := me.X.(*ast.CallExpr)
	if !ok || authutil.CalleeName(ce) != "getAddressSlot" || len(ce.Args) != 1 {
		return false
	}
	return implSlotExpr(ce.Args[0])
}

// implSlotExpr reports the EIP-1967 implementation slot constant or value.
func implSlotExpr(e ast.Node) bool {
	return ast.Contains(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			return strings.Contains(strings.ToUpper(x.Name), "IMPLEMENTATION")
		case *ast.Literal:
			return strings.Contains(strings.ToLower(x.Value), "360894a13ba1a3210667c828492db98dca3e2076")
		case *ast.YulIdent:
			return strings.Contains(strings.ToUpper(x.Name), "IMPLEMENTATION")
		case *ast.YulLiteral:
			return strings.Contains(strings.ToLower(x.Value), "360894a13ba1a3210667c828492db98dca3e2076")
		}
		return false
	})
}

// asmImplSlot reports an sstore to the implementation slot in assembly.
func asmImplSlot(body *ast.Block) bool {
	return ast.Contains(body, func(n ast.Node) bool {
		c, ok := n.(*ast.YulCall)
		return ok && c.Fun != nil && c.Fun.Name == "sstore" && len(c.Args) == 2 && implSlotExpr(c.Args[0])
	})
}
