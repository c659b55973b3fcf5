package uncheckederc20

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports ERC-20 transfer/transferFrom/approve results ignored.
var Analyzer = &analysis.Analyzer{
	Name:  "unchecked-erc20-transfer",
	Title: "Unchecked ERC-20 transfer",
	Doc: analysis.Doc{
		Summary: "The bool returned by an ERC-20 transfer, transferFrom or approve is ignored. Tokens " +
			"that return false on failure instead of reverting let the contract continue as if the " +
			"tokens had moved.",
		Exploit: "A vault credits a deposit after token.transferFrom(msg.sender, this, amount) without " +
			"checking the result. With a token that returns false when the allowance is missing, the " +
			"attacker deposits nothing, is credited `amount`, and withdraws real tokens.",
		Recommendation: "Use OpenZeppelin SafeERC20 (safeTransfer, safeTransferFrom, forceApprove) or " +
			"require the returned bool.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryToken,
	SWC:        "SWC-104",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, cs := range flowutil.UncheckedCalls(m, isERC20Call) {
		pass.Reportf(cs.Expr, "return value of ERC-20 %s is not checked; use SafeERC20", cs.Method)
	}
	return nil, nil
}

// isERC20Call reports a high-level transfer(2), transferFrom(3) or
// approve(2) whose declaration returns bool, or, when the target type is
// unknown to the model, whose interface name looks like an ERC-20 token.
func isERC20Call(cs *sema.CallSite) bool {
	if cs.Kind != sema.CallHighLevel {
		return false
	}
	switch {
	case cs.Method == "transfer" && len(cs.Args) == 2:
	case cs.Method == "transferFrom" && len(cs.Args) == 3:
	case cs.Method == "approve" && len(cs.Args) == 2:
	default:
		return false
	}
	if cs.Callee != nil {
		if len(cs.Callee.Returns) != 1 {
			return false
		}
		t := cs.Callee.Returns[0].Type
		return t != nil && t.Name == "bool"
	}
	if cs.TargetType != nil && cs.TargetType.Kind == sema.TypeContract {
		n := strings.ToLower(cs.TargetType.Name)
		return strings.Contains(n, "erc20") || strings.Contains(n, "token")
	}
	return false
}
