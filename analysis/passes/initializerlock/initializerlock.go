package initializerlock

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports upgradeable implementations whose constructor does not
// disable initializers.
var Analyzer = &analysis.Analyzer{
	Name:  "missing-initializer-lock",
	Title: "Implementation initializers not disabled",
	Doc: analysis.Doc{
		Summary: "An upgradeable implementation contract does not call _disableInitializers() in its " +
			"constructor, so anyone can initialize the implementation itself.",
		Exploit: "The attacker calls initialize() directly on the UUPS implementation, becomes its " +
			"owner, and calls upgradeToAndCall to a contract that self-destructs; every proxy pointing " +
			"to the implementation is bricked (Wormhole and Parity-style incidents).",
		Recommendation: "Add `constructor() { _disableInitializers(); }` (OpenZeppelin >= 4.6), or mark " +
			"the constructor with the initializer modifier on older versions.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
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
	for _, c := range m.Contracts {
		if c.Def == nil || c.Def.Name == nil || c.Kind != ast.KindContract || c.Abstract || testContract(c) {
			continue
		}
		init := initializer(c)
		if init == nil || locked(c) {
			continue
		}
		rep.ReportFile(c.File, c.Def.Name, 0, "%s is an upgradeable implementation whose constructor does not call _disableInitializers(): anyone can call %s on the implementation",
			c.Name, init.Name)
	}
	return nil, nil
}

// initializer returns a public function of c guarded by an initializer
// modifier, or nil.
func initializer(c *sema.Contract) *sema.Function {
	for _, fn := range c.AllFunctions() {
		if !fn.IsPubliclyReachable() || !fn.Implemented() {
			continue
		}
		if fn.HasModifier("initializer") || fn.HasModifier("reinitializer") {
			return fn
		}
	}
	return nil
}

// locked reports a constructor in c's hierarchy that disables
// initializers or runs as the initializer.
func locked(c *sema.Contract) bool {
	for _, b := range c.Linearization {
		ctor := b.Constructor()
		if ctor == nil || !ctor.Implemented() {
			continue
		}
		if ctor.HasModifier("initializer") || ctor.HasModifier("reinitializer") {
			return true
		}
		if ast.Contains(ctor.Def.Body, func(n ast.Node) bool {
			ce, ok := n.(*ast.CallExpr)
			return ok && authutil.CalleeName(ce) == "_disableInitializers"
		}) {
			return true
		}
	}
	return false
}

// testContract reports mocks and harnesses ([analysis.TestDouble]).
func testContract(c *sema.Contract) bool {
	path := ""
	if c.File != nil && c.File.Source != nil {
		path = c.File.Source.Name()
	}
	return analysis.TestDouble(c.Name, path)
}
