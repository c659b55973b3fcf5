package erc20interface

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports non-standard ERC-20 return types.
var Analyzer = &analysis.Analyzer{
	Name:  "incorrect-erc20-interface",
	Title: "ERC-20 function with a non-standard return type",
	Doc: analysis.Doc{
		Summary: "An ERC-20 function is declared with a wrong return type (transfer returning " +
			"nothing, balanceOf not returning uint256). Contracts calling it through the standard " +
			"IERC20 interface revert or decode garbage.",
		Exploit: "The token's transfer() returns nothing, like BNB and USDT. A DEX compiled with " +
			"Solidity >= 0.4.22 calls IERC20(token).transfer(...) and checks the returned bool; " +
			"the missing return data makes every withdrawal of the token revert, locking the " +
			"deposits of all its holders in the DEX.",
		Recommendation: "Declare the functions exactly as in EIP-20: transfer, transferFrom and " +
			"approve return bool; balanceOf, allowance and totalSupply return uint256.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryToken,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var erc20 = defiutil.Expected{
	"transfer(address,uint256)":             {"bool"},
	"transferFrom(address,address,uint256)": {"bool"},
	"approve(address,uint256)":              {"bool"},
	"balanceOf(address)":                    {"uint256"},
	"allowance(address,address)":            {"uint256"},
	"totalSupply()":                         {"uint256"},
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	defiutil.CheckInterface(pass, m, "ERC-20", erc20, 3, func(c *sema.Contract) bool {
		return c.ResolveFunction("ownerOf", 1) != nil
	})
	return nil, nil
}
