package arbitrarycall

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports unguarded low-level calls with caller-chosen target
// and data.
var Analyzer = &analysis.Analyzer{
	Name:  "arbitrary-external-call",
	Title: "Arbitrary external call",
	Doc: analysis.Doc{
		Summary: "An unguarded function makes a low-level call whose target and calldata are both " +
			"supplied by the caller, so anyone can make the contract call anything.",
		Exploit: "A router exposes `function exec(address target, bytes calldata data) external { " +
			"target.call(data); }`. Users approved the router to spend their tokens; the attacker calls " +
			"exec(token, transferFrom(victim, attacker, balance)) and drains every approval.",
		Recommendation: "Restrict the targets (allowlist) and the selectors that may be called, never " +
			"let arbitrary calldata reach token contracts, or require the owner, a timelock or a verified " +
			"signature for arbitrary execution.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryExternalCall,
	SWC:        "SWC-112",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	signed := map[*sema.Function]bool{}
	for _, r := range authutil.Unguarded(m) {
		if flowutil.InLibrary(r.Fn) {
			// Reported at the library call (functionCall) in the contract.
			continue
		}
		for _, cs := range r.Fn.Calls() {
			target, data := callParts(cs)
			if target == nil || len(data) == 0 || !authutil.CallerChosen(r.Entry, r.Fn, target) {
				continue
			}
			chosen := false
			for _, d := range data {
				if authutil.CallerChosen(r.Entry, r.Fn, d) {
					chosen = true
				}
			}
			if !chosen {
				continue
			}
			bodies := []ast.Node{r.Entry.Def.Body}
			if r.Fn != r.Entry {
				bodies = append(bodies, r.Fn.Def.Body)
			}
			vars := authutil.ParamVars(r.Entry, r.Fn, target)
			if authutil.Validated(m, bodies, cs.Expr, target, vars) || bound(m, bodies, cs.Expr, vars) {
				continue
			}
			if _, ok := signed[r.Entry]; !ok {
				signed[r.Entry] = flowutil.SignatureChecked(r.Entry)
			}
			if signed[r.Entry] {
				continue
			}
			rep.Report(r.Fn, cs.Expr, 0, "%s calls the caller-chosen target %s with caller-chosen data: anyone can make this contract call anything (e.g. spend approvals)",
				r.Entry.Name, flowutil.Text(r.Fn.File, target))
		}
	}
	return nil, nil
}

// callParts returns the target and calldata arguments of a low-level call
// or of an Address.functionCall-style helper.
func callParts(cs *sema.CallSite) (target ast.Expr, data []ast.Expr) {
	if cs.Expr == nil {
		return nil, nil
	}
	switch cs.Kind {
	case sema.CallLowLevel:
		if cs.Method == "call" && cs.Target != nil && len(cs.Args) > 0 {
			// Old-style call(selector, args...) and abi.encodeWith*(selector,
			// ...) fix the function when the selector is fixed.
			return cs.Target, []ast.Expr{selector(cs.Args[0])}
		}
	case sema.CallLibrary, sema.CallUnresolved:
		if cs.Method != "functionCall" && cs.Method != "functionCallWithValue" {
			return nil, nil
		}
		if cs.Target != nil && len(cs.Args) >= 1 {
			return cs.Target, []ast.Expr{selector(cs.Args[0])}
		}
		if len(cs.Args) >= 2 {
			return cs.Args[0], []ast.Expr{selector(cs.Args[1])}
		}
	}
	return nil, nil
}

// selector returns the expression choosing the called function in
// calldata d: the selector or signature argument of abi.encodeWithSelector
// and abi.encodeWithSignature, the callee of abi.encodeCall, else d.
func selector(d ast.Expr) ast.Expr {
	ce, ok := ast.Unparen(d).(*ast.CallExpr)
	if !ok || len(ce.Args) == 0 {
		return d
	}
	if ast.IsMember(ce.Fun, "abi", "encodeWithSelector") || ast.IsMember(ce.Fun, "abi", "encodeWithSignature") || ast.IsMember(ce.Fun, "abi", "encodeCall") {
		return ce.Args[0]
	}
	return d
}

// bound reports a parameter of vars passed to a hash or to a checking
// helper (hashProposal, hashOperation, _verify, isAllowed) other than
// site: the target is tied to an approved operation.
func bound(m *sema.Model, bodies []ast.Node, site ast.Node, vars []*sema.Var) bool {
	for _, b := range bodies {
		hit := ast.Contains(b, func(n ast.Node) bool {
			ce, ok := n.(*ast.CallExpr)
			if !ok || ast.Node(ce) == site {
				return false
			}
			name := strings.ToLower(authutil.CalleeName(ce))
			if !authutil.IsHashCall(ce) && !checker(name) {
				return false
			}
			for _, a := range ce.Args {
				for _, v := range vars {
					if flowutil.RefersTo(m, a, v) {
						return true
					}
				}
			}
			return false
		})
		if hit {
			return true
		}
	}
	return false
}

// checker reports names of hashing and validation helpers.
func checker(name string) bool {
	for _, w := range []string{"hash", "verify", "valid", "check", "allow", "whitelist", "approved", "trusted", "encode"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}
