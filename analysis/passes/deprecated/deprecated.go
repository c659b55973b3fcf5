package deprecated

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
)

// Analyzer reports deprecated Solidity constructs.
var Analyzer = &analysis.Analyzer{
	Name:  "deprecated",
	Title: "Deprecated Solidity construct",
	Doc: analysis.Doc{
		Summary: "The code uses a construct deprecated in later Solidity versions (suicide, sha3, " +
			"throw, callcode, .value()/.gas() calls, block.blockhash, msg.gas, years, constant " +
			"functions, var). They signal an old compiler and some have surprising semantics.",
		Exploit: "`for (var i = 0; i < holders.length; i++)` infers uint8 for i: with more than " +
			"255 holders, i wraps to 0 and the loop never ends, so the payout function always " +
			"runs out of gas and the funds are locked.",
		Recommendation: "Use the replacements: selfdestruct, keccak256, revert()/require, " +
			"delegatecall, {value: v, gas: g}, blockhash, gasleft(), explicit day arithmetic, " +
			"view, explicit types; and upgrade to a current compiler.",
	},
	Severity:   analysis.Info,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryDeprecated,
	SWC:        "SWC-111",
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	for _, f := range pass.Files {
		ast.Inspect(f.AST, func(n ast.Node) bool {
			check(pass, n)
			return true
		})
	}
	return nil, nil
}

// check reports n if it is a deprecated construct.
func check(pass *analysis.Pass, n ast.Node) {
	switch n := n.(type) {
	case *ast.CallExpr:
		if id, ok := n.Fun.(*ast.Ident); ok {
			switch id.Name {
			case "suicide":
				pass.Reportf(id, "suicide is deprecated; use selfdestruct")
			case "sha3":
				pass.Reportf(id, "sha3 is deprecated; use keccak256")
			}
		}
		// x.call.value(v)(args): the callee is itself a call of .value/.gas.
		if inner, ok := n.Fun.(*ast.CallExpr); ok {
			if m, ok := inner.Fun.(*ast.MemberExpr); ok && m.Member != nil && (m.Member.Name == "value" || m.Member.Name == "gas") {
				pass.Reportf(m, ".%s(...) call syntax is deprecated; use {%s: ...}", m.Member.Name, m.Member.Name)
			}
		}
	case *ast.ThrowStmt:
		pass.Reportf(n, "throw is deprecated; use revert() or require")
	case *ast.MemberExpr:
		if n.Member == nil {
			return
		}
		switch {
		case n.Member.Name == "callcode":
			pass.Reportf(n, "callcode is deprecated; use delegatecall")
		case n.Member.Name == "blockhash" && isIdent(n.X, "block"):
			pass.Reportf(n, "block.blockhash is deprecated; use blockhash")
		case n.Member.Name == "gas" && isIdent(n.X, "msg"):
			pass.Reportf(n, "msg.gas is deprecated; use gasleft()")
		}
	case *ast.Literal:
		if n.Unit == "years" {
			pass.Reportf(n, "the years unit is deprecated (leap years); use days")
		}
	case *ast.FunctionDefinition:
		if n.Mutability == ast.ConstantFn {
			at := ast.Node(n)
			if n.Name != nil {
				at = n.Name
			}
			pass.Reportf(at, "constant functions are deprecated; use view")
		}
	case *ast.VarDeclStmt:
		if n.Var {
			pass.Reportf(n, "var is deprecated; declare an explicit type")
		}
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
