package unboundedloop

import (
	"slices"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports loops bounded by the length of a storage array that an
// unguarded function can grow.
var Analyzer = &analysis.Analyzer{
	Name:  "unbounded-loop",
	Title: "Loop over a storage array anyone can grow",
	Doc: analysis.Doc{
		Summary: "A loop iterates over a storage array whose length any caller can increase. Past a " +
			"certain size the loop exceeds the block gas limit and the function can never succeed.",
		Exploit: "`function join() public { players.push(msg.sender); }` and `payout()` loops over " +
			"players sending each a share: an attacker calls join() from thousands of addresses and " +
			"payout() runs out of gas forever, locking the pot.",
		Recommendation: "Bound the array (maximum size, access control on growth), process it in " +
			"batches with a stored cursor, or let users withdraw individually (pull payments).",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryDoS,
	SWC:        "SWC-128",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	grown := map[*sema.Var]*sema.Function{}
	for _, r := range authutil.Unguarded(m) {
		for _, v := range growths(m, r.Fn) {
			if grown[v] == nil {
				grown[v] = r.Entry
			}
		}
	}
	counters := map[*sema.Var]*sema.Function{}
	for _, r := range authutil.Unguarded(m) {
		for _, v := range counted(m, r.Fn) {
			if counters[v] == nil {
				counters[v] = r.Entry
			}
		}
	}
	rep := authutil.NewReporter(pass)
	for _, fn := range flowutil.Functions(m) {
		if fn.IsView() || flowutil.InLibrary(fn) || authutil.TestCode(fn) {
			continue
		}
		flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
			var cond ast.Expr
			var body ast.Stmt
			switch x := n.(type) {
			case *ast.ForStmt:
				cond, body = x.Cond, x.Body
			case *ast.WhileStmt:
				cond, body = x.Cond, x.Body
			case *ast.DoWhileStmt:
				cond, body = x.Cond, x.Body
			default:
				return true
			}
			if v := lengthBound(m, fn, cond); v != nil && grown[v] != nil && costly(m, body) {
				rep.Report(fn, n, 0, "unbounded loop over %s: anyone can grow it through %s until the loop exceeds the block gas limit",
					v.Name, grown[v].Name)
				return true
			}
			if v := counterBound(m, fn, cond, counters); v != nil && costly(m, body) {
				rep.Report(fn, n, 0, "unbounded loop over %s entries: anyone can add entries through %s until the loop exceeds the block gas limit",
					v.Name, counters[v].Name)
				return true
			}
			if cond != nil && fn.IsPubliclyReachable() && !authutil.Protected(fn) && callerBound(m, fn, cond) {
				if g := growthsIn(m, body); len(g) > 0 {
					rep.Report(fn, n, 0, "unbounded loop: the caller chooses the iteration count and each iteration grows %s, until it cannot be processed within the block gas limit",
						g[0].Name)
				}
			}
			return true
		})
	}
	return nil, nil
}

// growths returns the state arrays fn appends to: x.push(...),
// x.length++ or x.length += n.
func growths(m *sema.Model, fn *sema.Function) []*sema.Var {
	return growthsIn(m, fn.Def.Body)
}

// growthsIn returns the state arrays appended to under root.
func growthsIn(m *sema.Model, root ast.Node) []*sema.Var {
	var out []*sema.Var
	flowutil.Inspect(root, func(n ast.Node) bool {
		var target ast.Expr
		switch x := n.(type) {
		case *ast.CallExpr:
			if me, ok := x.Fun.(*ast.MemberExpr); ok && me.Member != nil && me.Member.Name == "push" {
				target = me.X
			}
		case *ast.UnaryExpr:
			if x.Op == lexer.Inc {
				target = lengthOf(x.X)
			}
		case *ast.AssignExpr:
			if x.Op == lexer.AssignAdd {
				target = lengthOf(x.LHS)
			}
		}
		if target != nil {
			if v := authutil.StateRoot(m, target); v != nil && v.Type != nil && (v.Type.Kind == sema.TypeArray || v.Type.Kind == sema.TypeMapping) {
				out = append(out, v)
			}
		}
		return true
	})
	return out
}

// counted returns the state integer counters fn increments while storing
// an entry at the counter's position (`players[count] = msg.sender;
// count++` or `array[n++] = x`): counters of a growing collection.
func counted(m *sema.Model, fn *sema.Function) []*sema.Var {
	var incs []*sema.Var
	flowutil.Inspect(fn.Def.Body, func(n ast.Node) bool {
		var target ast.Expr
		switch x := n.(type) {
		case *ast.UnaryExpr:
			if x.Op == lexer.Inc {
				target = x.X
			}
		case *ast.AssignExpr:
			if x.Op == lexer.AssignAdd {
				target = x.LHS
			}
		}
		if id, ok := ast.Unparen(target).(*ast.Ident); ok && target != nil {
			if s := m.Ref(id); s.Kind == sema.SymVar && s.Var.IsState() && s.Var.Type.IsInteger() && !slices.Contains(incs, s.Var) {
				incs = append(incs, s.Var)
			}
		}
		return true
	})
	if len(incs) == 0 {
		return nil
	}
	// One walk collects the stores into state collections; each counter is
	// then checked against them (not a walk of the body per increment).
	var stores []*ast.IndexExpr
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignExpr); ok {
			if ix, ok := ast.Unparen(a.LHS).(*ast.IndexExpr); ok && ix.Index != nil && authutil.StateRoot(m, ix.X) != nil {
				stores = append(stores, ix)
			}
		}
		return true
	})
	var out []*sema.Var
	for _, v := range incs {
		if slices.ContainsFunc(stores, func(ix *ast.IndexExpr) bool { return flowutil.RefersTo(m, ix.Index, v) }) {
			out = append(out, v)
		}
	}
	return out
}

// counterBound returns the collection counter bounding the loop
// condition, directly or through a local assigned once from it.
func counterBound(m *sema.Model, fn *sema.Function, cond ast.Expr, counters map[*sema.Var]*sema.Function) *sema.Var {
	if cond == nil || len(counters) == 0 {
		return nil
	}
	for _, b := range flowutil.Comparisons([]ast.Expr{cond}) {
		if !flowutil.IsRelational(b.Op) {
			continue
		}
		for _, side := range []ast.Expr{b.X, b.Y} {
			side = flowutil.Unconvert(side)
			if v := flowutil.LocalVar(m, side); v != nil && v.Kind == sema.VarLocal {
				if init := flowutil.LocalInit(m, fn, v); init != nil {
					side = flowutil.Unconvert(init)
				}
			}
			if id, ok := side.(*ast.Ident); ok {
				if s := m.Ref(id); s.Kind == sema.SymVar && counters[s.Var] != nil {
					return s.Var
				}
			}
		}
	}
	return nil
}

// callerBound reports a loop condition comparing with a value chosen by
// the caller (a parameter or msg.data), other than the length of a
// caller-supplied array.
func callerBound(m *sema.Model, fn *sema.Function, cond ast.Expr) bool {
	for _, b := range flowutil.Comparisons([]ast.Expr{cond}) {
		if !flowutil.IsRelational(b.Op) {
			continue
		}
		for _, side := range []ast.Expr{b.X, b.Y} {
			if flowutil.OperandTaint(m, fn, side)&(sema.SrcParam|sema.SrcData) != 0 {
				return true
			}
		}
	}
	return false
}

// lengthOf returns x for x.length, or nil.
func lengthOf(e ast.Expr) ast.Expr {
	if me, ok := ast.Unparen(e).(*ast.MemberExpr); ok && me.Member != nil && me.Member.Name == "length" {
		return me.X
	}
	return nil
}

// lengthBound returns the state array whose length bounds the loop
// condition, directly or through a local assigned once from it.
func lengthBound(m *sema.Model, fn *sema.Function, cond ast.Expr) *sema.Var {
	var out *sema.Var
	flowutil.Inspect(cond, func(n ast.Node) bool {
		if out != nil {
			return false
		}
		e, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		if x := lengthOf(e); x != nil {
			out = authutil.StateRoot(m, x)
			return false
		}
		if v := flowutil.LocalVar(m, e); v != nil && v.Kind == sema.VarLocal {
			if init := flowutil.LocalInit(m, fn, v); init != nil {
				if x := lengthOf(init); x != nil {
					out = authutil.StateRoot(m, x)
				}
			}
		}
		return true
	})
	return out
}

// costly reports a loop body making an external call or writing storage.
func costly(m *sema.Model, body ast.Stmt) bool {
	return ast.Contains(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			cs := m.CallSiteOf(x)
			if cs == nil {
				return false
			}
			if cs.IsExternal() || cs.Kind == sema.CallTransfer || cs.Kind == sema.CallSend || cs.Kind == sema.CallLowLevel {
				return true
			}
			if cs.Kind == sema.CallInternal && cs.Callee != nil && len(cs.Callee.TransitiveStateWrites()) > 0 {
				return true
			}
		case *ast.AssignExpr:
			return authutil.StateRoot(m, x.LHS) != nil
		case *ast.UnaryExpr:
			if x.Op == lexer.Inc || x.Op == lexer.Dec || x.Op == lexer.Delete {
				return authutil.StateRoot(m, x.X) != nil
			}
		}
		return false
	})
}
