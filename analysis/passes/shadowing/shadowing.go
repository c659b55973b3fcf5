package shadowing

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports shadowed state variables.
var Analyzer = &analysis.Analyzer{
	Name:  "shadowed-state-variable",
	Title: "Shadowed state variable",
	Doc: analysis.Doc{
		Summary: "A derived contract redeclares a state variable of a base contract, or a " +
			"parameter or local variable has the name of a state variable. The two names refer " +
			"to different storage, so code reads or writes the wrong one.",
		Exploit: "`contract Token is Ownable { address owner; ... }` redeclares owner. Ownable's " +
			"onlyOwner checks its own `owner` slot, which was never set after the constructor of " +
			"Token assigned the shadowing variable; the admin functions are locked forever, or, " +
			"in the reverse case, guarded by a stale owner.",
		Recommendation: "Remove the redeclaration and use the inherited variable; rename " +
			"parameters and locals (a leading or trailing underscore) so they do not hide state.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryBestPractice,
	SWC:        "SWC-119",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, c := range m.Contracts {
		if c.IsInterface() {
			continue
		}
		for _, v := range c.StateVars {
			for _, b := range c.Linearization[1:] {
				if w := b.StateVar(v.Name); w != nil && w.Contract == b && v.Name != "" && w.Decl.Visibility != ast.VisPrivate {
					pass.Reportf(v.Decl, "state variable %s shadows %s inherited from %s: they are different storage slots", v.Name, w, b.Name)
					break
				}
			}
		}
		state := map[string]*sema.Var{}
		for _, v := range c.AllStateVars() {
			if v.Name != "" {
				state[v.Name] = v
			}
		}
		for _, fn := range c.Functions {
			for _, lv := range append(append(append([]*sema.Var{}, fn.Params...), fn.Returns...), fn.Locals()...) {
				if lv == nil || lv.Decl == nil || lv.Name == "" {
					continue
				}
				if sv := state[lv.Name]; sv != nil {
					defiutil.ReportSeverity(pass, lv.Decl, analysis.Low, "%s in %s shadows state variable %s", lv.Name, fn, sv)
				}
			}
		}
	}
	return nil, nil
}
