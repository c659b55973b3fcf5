package storageptr

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports uninitialized storage pointers.
var Analyzer = &analysis.Analyzer{
	Name:  "uninitialized-storage-pointer",
	Title: "Uninitialized local storage pointer",
	Doc: analysis.Doc{
		Summary: "A local struct, array or mapping variable is declared without a data location " +
			"or initializer in pre-0.5 code. It defaults to a storage pointer to slot 0, so " +
			"writing to it overwrites the first state variables.",
		Exploit: "`Game game; game.player = msg.sender;` in a lottery compiled with 0.4.x writes " +
			"msg.sender into slot 0, which holds `owner`: any player becomes the owner and can " +
			"withdraw the pot (OpenAddressLottery honeypot).",
		Recommendation: "Declare the variable `memory`, or initialize it to a specific storage " +
			"element (`Game storage game = games[id];`); compile with Solidity 0.5 or later, " +
			"which rejects uninitialized storage pointers.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceHigh,
	Category:   analysis.CategoryCompiler,
	SWC:        "SWC-109",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	for _, fn := range m.Functions {
		if !fn.Implemented() || fn.File == nil || !fn.File.Pragma.Known || !fn.File.Pragma.AllowsBelow(0, 5, 0) {
			continue
		}
		candidates := map[*sema.Var]*ast.VariableDeclaration{}
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			s, ok := n.(*ast.VarDeclStmt)
			if !ok || s.Value != nil || s.Var {
				return n != nil
			}
			for _, d := range s.Decls {
				if d == nil || d.Location != ast.LocDefault {
					continue
				}
				v := m.VarOf(d)
				if v != nil && v.Type != nil && (v.Type.Kind == sema.TypeStruct || v.Type.Kind == sema.TypeArray || v.Type.Kind == sema.TypeMapping) {
					candidates[v] = d
				}
			}
			return true
		})
		if len(candidates) == 0 {
			continue
		}
		reported := map[*sema.Var]bool{}
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			var lhs ast.Expr
			switch x := n.(type) {
			case *ast.AssignExpr:
				lhs = x.LHS
			case *ast.UnaryExpr:
				lhs = x.X // ++, --, delete
			case *ast.CallExpr:
				if name := defiutil.CallName(x); name == "push" || name == "pop" {
					lhs = defiutil.CallTarget(x)
				}
			}
			if lhs != nil {
				if v := defiutil.VarOfIdent(m, ast.Root(lhs)); v != nil && candidates[v] != nil && !reported[v] {
					reported[v] = true
					pass.Reportf(candidates[v], "%s is an uninitialized storage pointer (pre-0.5 default location): writing to it overwrites storage slot 0 and the following state variables", v.Name)
				}
			}
			return n != nil
		})
	}
	return nil, nil
}
