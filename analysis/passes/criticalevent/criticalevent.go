package criticalevent

import (
	"regexp"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports critical parameters changed without an event.
var Analyzer = &analysis.Analyzer{
	Name:  "missing-event-critical-change",
	Title: "Critical parameter changed without an event",
	Doc: analysis.Doc{
		Summary: "A privileged function changes a critical parameter (fee, oracle, owner, " +
			"rate, limit) without emitting an event, so monitors and users cannot observe the " +
			"change.",
		Exploit: "An attacker who phished the admin key calls setOracle(attackerFeed) on a " +
			"lending market. No event is emitted, so the protocol's monitoring never alerts; " +
			"hours later the attacker reports a fake price and drains the market.",
		Recommendation: "Emit an event with the old and new values from every function that " +
			"changes a critical parameter.",
	},
	Severity:   analysis.Low,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryBestPractice,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var critical = regexp.MustCompile(`(?i)fee|rate|oracle|feed|owner|admin|treasury|limit|cap$|cap[A-Z_]|threshold|factor|delay|period|price|implementation|paused|governance|guardian|bonus|slippage|quorum`)

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	reported := map[*sema.Function]bool{}
	for _, c := range m.Contracts {
		if c.Kind != ast.KindContract {
			continue
		}
		for _, fn := range c.PublicFunctions() {
			if reported[fn] || !fn.Implemented() || fn.IsView() || !fn.Guards().AccessControl {
				continue
			}
			var changed *sema.Var
			for _, v := range fn.TransitiveStateWrites() {
				if critical.MatchString(v.Name) {
					changed = v
					break
				}
			}
			if changed == nil || emits(fn) {
				continue
			}
			reported[fn] = true
			at := ast.Node(fn.Def)
			if fn.Def.Name != nil {
				at = fn.Def.Name
			}
			pass.Reportf(at, "%s changes %s without emitting an event", fn, changed)
		}
	}
	return nil, nil
}

// emits reports an emit statement in fn, its modifiers or internal callees.
func emits(fn *sema.Function) bool {
	has := func(b *ast.Block) bool {
		found := false
		if b == nil {
			return false
		}
		ast.Inspect(b, func(n ast.Node) bool {
			if _, ok := n.(*ast.EmitStmt); ok {
				found = true
			}
			return !found && n != nil
		})
		return found
	}
	for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
		if f.Def != nil && has(f.Def.Body) {
			return true
		}
		for _, mc := range f.Modifiers {
			if mc.Modifier != nil && mc.Modifier.Def != nil && has(mc.Modifier.Def.Body) {
				return true
			}
		}
	}
	return false
}
