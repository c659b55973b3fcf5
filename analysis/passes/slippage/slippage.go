package slippage

import (
	"regexp"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
)

// Analyzer reports swaps and liquidity calls without slippage protection.
var Analyzer = &analysis.Analyzer{
	Name:  "missing-slippage",
	Title: "Swap or liquidity call without slippage protection",
	Doc: analysis.Doc{
		Summary: "A swap or liquidity call passes 0 as the minimum output (amountOutMin, " +
			"amountAMin, min_dy, amountOutMinimum) or block.timestamp as the deadline. The " +
			"transaction then accepts any price and any execution time.",
		Exploit: "The protocol's harvest() sells rewards with `router.swapExactTokensForTokens(" +
			"amount, 0, path, address(this), block.timestamp)`. A searcher sees the transaction " +
			"in the mempool, buys the output token first, lets the harvest buy at the inflated " +
			"price and sells right after (a sandwich), extracting most of the harvested value.",
		Recommendation: "Compute the minimum output off-chain or from a manipulation-resistant " +
			"oracle price minus a tolerance and pass it as the minimum; let the caller supply the " +
			"deadline instead of block.timestamp.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryFrontRunning,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

// params gives the minimum-output argument positions and the deadline
// position (-1 if none) of a known entry point for a given arity.
type params struct {
	argc     int
	mins     []int
	deadline int
}

var known = map[string][]params{
	"swapExactTokensForTokens":                              {{5, []int{1}, 4}},
	"swapExactTokensForETH":                                 {{5, []int{1}, 4}},
	"swapExactTokensForTokensSupportingFeeOnTransferTokens": {{5, []int{1}, 4}},
	"swapExactTokensForETHSupportingFeeOnTransferTokens":    {{5, []int{1}, 4}},
	"swapExactETHForTokens":                                 {{4, []int{0}, 3}},
	"swapExactETHForTokensSupportingFeeOnTransferTokens":    {{4, []int{0}, 3}},
	"swapTokensForExactTokens":                              {{5, nil, 4}},
	"swapTokensForExactETH":                                 {{5, nil, 4}},
	"swapETHForExactTokens":                                 {{4, nil, 3}},
	"addLiquidity":                                          {{8, []int{4, 5}, 7}, {2, []int{1}, -1}, {3, []int{2}, -1}},
	"addLiquidityETH":                                       {{6, []int{2, 3}, 5}},
	"removeLiquidity":                                       {{7, []int{3, 4}, 6}, {2, []int{1}, -1}},
	"removeLiquidityETH":                                    {{6, []int{2, 3}, 5}},
	"removeLiquidityETHSupportingFeeOnTransferTokens":       {{6, []int{2, 3}, 5}},
	"exchange":                   {{4, []int{3}, -1}, {5, []int{3}, -1}},
	"exchange_underlying":        {{4, []int{3}, -1}},
	"add_liquidity":              {{2, []int{1}, -1}},
	"remove_liquidity":           {{2, []int{1}, -1}},
	"remove_liquidity_one_coin":  {{3, []int{2}, -1}},
	"remove_liquidity_imbalance": {{2, []int{1}, -1}},
}

// minName matches named arguments and struct fields that bound the output.
var minName = regexp.MustCompile(`(?i)^(amount(out|a|b|token|eth)?min(imum)?|min(imum)?(amount)?(out|return|received|dy|mintamount)?|min_(dy|amount|mint_amount)|limit)$`)

func run(pass *analysis.Pass) (any, error) {
	if _, err := model.Of(pass); err != nil {
		return nil, err
	}
	for _, f := range pass.Files {
		if analysis.TestDouble("", f.Path) {
			continue
		}
		for _, d := range f.AST.Decls {
			cd, ok := d.(*ast.ContractDefinition)
			if !ok || cd.Kind != ast.KindContract || cd.Name == nil || analysis.TestDouble(cd.Name.Name, f.Path) {
				continue
			}
			ast.Inspect(cd, func(n ast.Node) bool {
				if ce, ok := n.(*ast.CallExpr); ok {
					check(pass, ce)
				}
				return n != nil
			})
		}
	}
	return nil, nil
}

func check(pass *analysis.Pass, ce *ast.CallExpr) {
	name := defiutil.CallName(ce)
	// Named arguments and struct literals: f({amountOutMin: 0, ...}).
	if len(ce.Names) == len(ce.Args) && len(ce.Names) > 0 {
		for i, n := range ce.Names {
			if n == nil {
				continue
			}
			switch {
			case minName.MatchString(n.Name) && n.Name != "limit" && defiutil.IsZeroLiteral(ce.Args[i]):
				pass.Reportf(ce.Args[i], "%s: 0 passed as %s accepts any price (no slippage protection); a sandwich attack takes the price impact", name, n.Name)
			case strings.EqualFold(n.Name, "deadline") && nowLike(ce.Args[i]):
				pass.Reportf(ce.Args[i], "%s: deadline = block.timestamp is always satisfied; the transaction can be delayed and executed at a worse price", name)
			}
		}
		return
	}
	if defiutil.CallTarget(ce) == nil {
		return
	}
	for _, p := range known[name] {
		if p.argc != len(ce.Args) {
			continue
		}
		for _, i := range p.mins {
			if defiutil.IsZeroLiteral(ce.Args[i]) {
				pass.Reportf(ce.Args[i], "%s: minimum output is 0, so the call accepts any price (no slippage protection); a sandwich attack takes the price impact", name)
			}
		}
		if p.deadline >= 0 && nowLike(ce.Args[p.deadline]) {
			pass.Reportf(ce.Args[p.deadline], "%s: deadline = block.timestamp is always satisfied; the transaction can be delayed and executed at a worse price", name)
		}
	}
}

// nowLike reports block.timestamp or now.
func nowLike(e ast.Expr) bool {
	if id, ok := defiutil.Unconvert(e).(*ast.Ident); ok && id.Name == "now" {
		return true
	}
	return ast.IsMember(defiutil.Unconvert(e), "block", "timestamp")
}
