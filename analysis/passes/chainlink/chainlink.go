package chainlink

import (
	"regexp"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports unvalidated Chainlink answers.
var Analyzer = &analysis.Analyzer{
	Name:  "chainlink-stale-price",
	Title: "Chainlink answer used without staleness or sanity checks",
	Doc: analysis.Doc{
		Summary: "A Chainlink feed is read with latestRoundData() without checking that the answer " +
			"is positive and that updatedAt is recent, or with the deprecated latestAnswer(). A " +
			"stale or zero price is then used for valuation.",
		Exploit: "During a market crash the feed's heartbeat is missed (or an L2 sequencer is " +
			"down) and latestRoundData keeps returning the pre-crash price. Borrowers deposit the " +
			"crashed collateral at the stale price and borrow more than it is worth (Venus/LUNA " +
			"2022 class).",
		Recommendation: "Check `answer > 0`, `block.timestamp - updatedAt <= heartbeat` for the " +
			"feed (and answeredInRound >= roundId with legacy aggregators; the sequencer uptime " +
			"feed on L2s), and replace latestAnswer() with latestRoundData().",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryOracle,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var validator = regexp.MustCompile(`(?i)valid|check|stale|sanit|verify|fresh|ensure`)

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, fn := range m.Functions {
		if !fn.Implemented() {
			continue
		}
		for _, cs := range fn.ExternalCalls() {
			if cs.Expr == nil || len(cs.Args) != 0 {
				continue
			}
			switch cs.Method {
			case "latestAnswer":
				pass.Reportf(cs.Expr, "latestAnswer() is deprecated and returns neither a timestamp nor an error: use latestRoundData() and check the answer and updatedAt")
			case "latestRoundData":
				check(pass, m, fn, cs)
			}
		}
	}
	return nil, nil
}

// check reports a latestRoundData call whose answer or updatedAt is not
// validated in fn.
func check(pass *analysis.Pass, m *sema.Model, fn *sema.Function, cs *sema.CallSite) {
	vars := bound(m, fn.Def.Body, cs.Expr)
	if vars == nil {
		return // returned or passed on whole: validated by the caller, if anywhere
	}
	checked := checkedVars(m, fn.Def.Body)
	var missing []string
	if v := vars[1]; v == nil || !checked[v] {
		missing = append(missing, "answer > 0")
	}
	if v := vars[3]; v == nil || !checked[v] {
		missing = append(missing, "updatedAt staleness")
	}
	if len(missing) == 0 {
		return
	}
	msg := "latestRoundData() used without checking " + strings.Join(missing, " and ")
	if fn.File != nil && fn.File.Pragma.Known && fn.File.Pragma.AllowsBelow(0, 8, 0) {
		if v := vars[4]; v == nil || !checked[v] {
			msg += " (and answeredInRound >= roundId)"
		}
	}
	pass.Reportf(cs.Expr, "%s: a stale or invalid price can be used", msg)
}

// bound returns the variables receiving the components of call in body,
// indexed by position, or nil if the call's result is not destructured.
func bound(m *sema.Model, body *ast.Block, call *ast.CallExpr) map[int]*sema.Var {
	var out map[int]*sema.Var
	ast.Inspect(body, func(n ast.Node) bool {
		if out != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.VarDeclStmt:
			if ast.Unparen(n.Value) == ast.Expr(call) && len(n.Decls) > 1 {
				out = map[int]*sema.Var{}
				for i, d := range n.Decls {
					if d != nil {
						out[i] = m.VarOf(d)
					}
				}
			}
		case *ast.AssignExpr:
			if t, ok := n.LHS.(*ast.TupleExpr); ok && ast.Unparen(n.RHS) == ast.Expr(call) {
				out = map[int]*sema.Var{}
				for i, el := range t.Elems {
					if el != nil {
						out[i] = defiutil.VarOfIdent(m, el)
					}
				}
			}
		}
		return n != nil
	})
	return out
}

// checkedVars returns the variables tested in a condition of body, or
// passed to a validation helper, directly or through locals derived from
// them.
func checkedVars(m *sema.Model, body *ast.Block) map[*sema.Var]bool {
	derived := map[*sema.Var][]*sema.Var{} // local -> variables it is computed from
	ast.Inspect(body, func(n ast.Node) bool {
		if d, ok := n.(*ast.VarDeclStmt); ok && d.Value != nil && len(d.Decls) == 1 && d.Decls[0] != nil {
			if v := m.VarOf(d.Decls[0]); v != nil {
				derived[v] = varsIn(m, d.Value)
			}
		}
		return n != nil
	})
	out := map[*sema.Var]bool{}
	mark := func(e ast.Node) {
		for _, v := range varsIn(m, e) {
			out[v] = true
			for _, w := range derived[v] {
				out[w] = true
			}
		}
	}
	for _, c := range m.ConditionsIn(body) {
		mark(c)
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if ce, ok := n.(*ast.CallExpr); ok && validator.MatchString(defiutil.CallName(ce)) {
			for _, a := range ce.Args {
				mark(a)
			}
		}
		return n != nil
	})
	return out
}

// varsIn returns the variables referenced in n.
func varsIn(m *sema.Model, n ast.Node) []*sema.Var {
	var out []*sema.Var
	if n == nil {
		return nil
	}
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			if s := m.Ref(id); s.Kind == sema.SymVar && s.Var != nil {
				out = append(out, s.Var)
			}
		}
		return x != nil
	})
	return out
}
