package spotprice

import (
	"fmt"
	"regexp"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports spot AMM prices used for valuation.
var Analyzer = &analysis.Analyzer{
	Name:  "spot-price-oracle",
	Title: "Price derived from manipulable spot reserves",
	Doc: analysis.Doc{
		Summary: "A price is computed from the instantaneous state of an AMM pool (getReserves, " +
			"slot0 sqrtPriceX96, balanceOf(pair), Curve get_virtual_price/get_dy) and used to value " +
			"collateral, debt, shares or mint/redeem amounts. Pool state can be moved at will inside " +
			"one transaction, so the valuation can be inflated or deflated by anyone with a flash loan.",
		Exploit: "The lending market values collateral with `reserveWeth * 1e18 / reserveToken` from " +
			"the token/WETH pair. The attacker flash-borrows WETH, buys the collateral token in the " +
			"pair (its spot price triples), deposits collateral, borrows against the tripled value, " +
			"swaps back and repays the flash loan, leaving the market with bad debt (Harvest 2020, " +
			"Cream 2021, Inverse Finance 2022).",
		Recommendation: "Price assets with a manipulation-resistant source: a TWAP over a long enough " +
			"window (Uniswap V2 cumulative prices, Uniswap V3 observe()), or a decentralized feed " +
			"(Chainlink) with staleness checks; value LP tokens with fair-reserve formulas; never " +
			"use getReserves, slot0 or pool balances directly for valuation.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryOracle,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var (
	// valuation matches names of variables and functions that hold or
	// compute a valuation.
	valuation = regexp.MustCompile(`(?i)price|valu|collateral|borrow|debt|health|liquidat|solven|share|exchangerate|worth|tvl|ltv|seize`)
	// notValuation excludes accumulator names of TWAP oracles.
	notValuation = regexp.MustCompile(`(?i)cumulative|twap|average|observation`)
	// priceGetter matches public functions that expose a price.
	priceGetter = regexp.MustCompile(`(?i)^(get)?(underlying|asset|token|lp|share)?price|^latestanswer$|^peek|^consult$|^getrate$|^exchangerate|^getpriceperfullshare$|^pricepershare$|^getvalue|^valueof`)
	// condValuation matches names that make a condition a solvency or
	// limit check.
	condValuation = regexp.MustCompile(`(?i)collateral|debt|health|borrow|limit|solven|ltv|liquidat|price`)
	// poolArg matches arguments naming a pool or pair.
	poolArg = regexp.MustCompile(`(?i)pair|pool|amm|lp\b|^lp|market`)
	// valueCalls are callees whose amount arguments are valuations.
	valueCalls = regexp.MustCompile(`(?i)^_?(mint|borrow|liquidat|seize|redeem)`)
	// transfers move tokens.
	transfers = regexp.MustCompile(`^(safeT|t)ransfer(From)?$|^(send|sendValue)$`)
	// guardedFunc matches function names where transfers and conditions
	// are valuation sinks.
	guardedFunc = regexp.MustCompile(`(?i)borrow|liquidat|redeem|withdraw|collateral|health|seize|price|valu`)
)

// twapMarkers are calls whose presence shows a function reads a
// time-weighted average rather than a spot price.
var twapMarkers = map[string]bool{
	"price0CumulativeLast": true, "price1CumulativeLast": true, "observe": true,
	"currentCumulativePrices": true, "consult": true, "getTimeWeightedAverage": true,
	"observations": true, "getQuoteAtTick": true,
}

// spotSource describes the spot read of an external call, or "" if none.
func spotSource(cs *sema.CallSite) string {
	switch cs.Method {
	case "getReserves":
		if len(cs.Args) == 0 {
			return "getReserves()"
		}
	case "slot0":
		return "slot0() sqrtPriceX96"
	case "get_virtual_price":
		return "Curve get_virtual_price()"
	case "get_dy", "get_dy_underlying":
		return "Curve " + cs.Method + "()"
	case "getAmountsOut", "getAmountOut", "getSpotPrice", "getPoolTokens":
		return cs.Method + "()"
	case "balanceOf":
		if len(cs.Args) == 1 && !defiutil.IsThis(cs.Args[0]) && defiutil.Mentions(cs.Args[0], poolArg) {
			return "balanceOf(pool)"
		}
	}
	return ""
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	sources := make(map[*sema.CallSite]string)
	for _, fn := range m.Functions {
		if !fn.Implemented() {
			continue
		}
		twap := false
		for _, cs := range fn.Calls() {
			if twapMarkers[cs.Method] {
				twap = true
				break
			}
		}
		if twap {
			continue
		}
		for _, cs := range fn.ExternalCalls() {
			if cs.Expr == nil {
				continue
			}
			if s := spotSource(cs); s != "" {
				sources[cs] = s
			}
		}
	}
	if len(sources) == 0 {
		return nil, nil
	}
	reported := make(map[*sema.CallSite]bool)
	for _, fn := range m.Functions {
		if !fn.Implemented() || slippageBounded(fn, sources) {
			continue
		}
		checkSinks(pass, m, fn, sources, reported)
	}
	return nil, nil
}

// checkSinks reports the spot sources flowing into a valuation use in fn.
func checkSinks(pass *analysis.Pass, m *sema.Model, fn *sema.Function, sources map[*sema.CallSite]string, reported map[*sema.CallSite]bool) {
	name := defiutil.FunctionName(fn)
	public := fn.IsPubliclyReachable()
	getter := public && priceGetter.MatchString(name)
	sink := func(e ast.Expr, what string) {
		if e == nil {
			return
		}
		for _, cs := range fn.Taint(e).Calls {
			src, ok := sources[cs]
			if !ok || reported[cs] {
				continue
			}
			reported[cs] = true
			pass.Reportf(cs.Expr, "spot price from %s flows into %s in %s; it can be moved within one transaction by a flash-loaned swap", src, what, fn)
		}
	}
	isValName := func(s string) bool { return valuation.MatchString(s) && !notValuation.MatchString(s) }
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ReturnStmt:
			if getter {
				sink(n.Value, fmt.Sprintf("the price returned by %s()", name))
			} else if isValName(name) {
				sink(n.Value, fmt.Sprintf("the value returned by %s()", name))
			}
		case *ast.VarDeclStmt:
			for _, d := range n.Decls {
				if d != nil && d.Name != nil && isValName(d.Name.Name) && !zeroTestOnly(m, fn, d) {
					sink(n.Value, fmt.Sprintf("%q", d.Name.Name))
					break
				}
			}
		case *ast.AssignExpr:
			if v := m.RootVar(n.LHS); v != nil {
				ret := v.Kind == sema.VarReturn && (getter || isValName(name))
				if isValName(v.Name) || ret || v.Kind == sema.VarState && !notValuation.MatchString(v.Name) && guardedFunc.MatchString(name) {
					sink(n.RHS, fmt.Sprintf("%q", v.Name))
				}
			}
		case *ast.CallExpr:
			callee := defiutil.CallName(n)
			switch {
			case valueCalls.MatchString(callee) || isValName(callee) && !twapMarkers[callee]:
				for _, a := range n.Args {
					sink(a, fmt.Sprintf("the amount passed to %s", callee))
				}
			case transfers.MatchString(callee) && guardedFunc.MatchString(name):
				for _, a := range n.Args {
					sink(a, fmt.Sprintf("the amount transferred by %s", callee))
				}
			}
		}
		return n != nil
	})
	for _, c := range fn.Conditions() {
		if zeroTest(c) {
			continue // x == 0: an initialized-or-not test, not a limit
		}
		if isValName(name) || defiutil.Mentions(c, condValuation) {
			sink(c, "a solvency or limit check")
		}
	}
}

// slippageBounded reports a function that bounds the outcome of its
// price-dependent action by caller-chosen limits: a relational comparison
// of the result of an external call that is not itself a spot read (the
// amounts pool.mint or a swap returned) with a caller-supplied value
// (Uniswap's amount0 >= params.amount0Min). Whoever moves the spot price
// only makes the caller's own transaction revert.
func slippageBounded(fn *sema.Function, sources map[*sema.CallSite]string) bool {
	for _, c := range fn.Conditions() {
		if ast.Contains(c, func(n ast.Node) bool {
			b, ok := n.(*ast.BinaryExpr)
			if !ok || !(b.Op == lexer.Lt || b.Op == lexer.Gt || b.Op == lexer.Le || b.Op == lexer.Ge) {
				return false
			}
			return actionResult(fn, b.X, sources) && userBound(fn, b.Y) || actionResult(fn, b.Y, sources) && userBound(fn, b.X)
		}) {
			return true
		}
	}
	return false
}

func actionResult(fn *sema.Function, e ast.Expr, sources map[*sema.CallSite]string) bool {
	t := fn.Taint(e)
	if len(t.Calls) == 0 {
		return false
	}
	for _, cs := range t.Calls {
		if _, spot := sources[cs]; spot {
			return false
		}
	}
	return true
}

func userBound(fn *sema.Function, e ast.Expr) bool {
	if fn.Taint(e).Has(sema.SrcParam) {
		return true
	}
	// params.amount0Min in an internal helper: its callers supply it.
	id, ok := ast.Root(e).(*ast.Ident)
	if !ok {
		return false
	}
	for _, p := range fn.Params {
		if p.Name != "" && p.Name == id.Name {
			return true
		}
	}
	return false
}

// zeroTestOnly reports a local whose every use is a comparison with zero
// (`if (sqrtPriceX96Existing == 0) pool.initialize(...)`): it asks whether
// a pool is initialized, it values nothing.
func zeroTestOnly(m *sema.Model, fn *sema.Function, d *ast.VariableDeclaration) bool {
	uses, zero := 0, 0
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok && (b.Op == lexer.Eq || b.Op == lexer.Ne) {
			for _, side := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
				if id, ok := ast.Unparen(side[0]).(*ast.Ident); ok && m.Ref(id).Var != nil && m.Ref(id).Var.Decl == d {
					if lit, ok := ast.Unparen(side[1]).(*ast.Literal); ok && lit.Value == "0" {
						zero++
					}
				}
			}
		}
		if id, ok := n.(*ast.Ident); ok && id != d.Name {
			if v := m.Ref(id).Var; v != nil && v.Decl == d {
				uses++
			}
		}
		return true
	})
	return uses > 0 && uses == zero
}

// zeroTest reports a condition `x == 0` or `x != 0`.
func zeroTest(c ast.Expr) bool {
	b, ok := ast.Unparen(c).(*ast.BinaryExpr)
	if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
		return false
	}
	for _, side := range []ast.Expr{b.X, b.Y} {
		if lit, ok := ast.Unparen(side).(*ast.Literal); ok && lit.Value == "0" {
			return true
		}
	}
	return false
}
