package erc721interface

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports non-standard ERC-721 return types.
var Analyzer = &analysis.Analyzer{
	Name:  "incorrect-erc721-interface",
	Title: "ERC-721 function with a non-standard return type",
	Doc: analysis.Doc{
		Summary: "An ERC-721 function is declared with a wrong return type (ownerOf not " +
			"returning address, approve or transferFrom returning a value, balanceOf not " +
			"returning uint256). Marketplaces and wallets calling the standard interface decode " +
			"the wrong data or revert.",
		Exploit: "The collection's ownerOf returns a uint256 index instead of the owner address. " +
			"A marketplace compiled against IERC721 decodes it as an address and checks " +
			"ownership against a garbage value, so listings either always fail or can be " +
			"created for tokens the seller does not own.",
		Recommendation: "Declare the functions exactly as in EIP-721 (or inherit a vetted " +
			"implementation such as OpenZeppelin ERC721).",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryToken,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var erc721 = defiutil.Expected{
	"balanceOf(address)":                              {"uint256"},
	"ownerOf(uint256)":                                {"address"},
	"approve(address,uint256)":                        {},
	"getApproved(uint256)":                            {"address"},
	"setApprovalForAll(address,bool)":                 {},
	"isApprovedForAll(address,address)":               {"bool"},
	"transferFrom(address,address,uint256)":           {},
	"safeTransferFrom(address,address,uint256)":       {},
	"safeTransferFrom(address,address,uint256,bytes)": {},
	"supportsInterface(bytes4)":                       {"bool"},
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	defiutil.CheckInterface(pass, m, "ERC-721", erc721, 3, func(c *sema.Contract) bool {
		return c.ResolveFunction("ownerOf", 1) == nil
	})
	return nil, nil
}
