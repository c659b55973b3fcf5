package sigreplay

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports replayable signatures.
var Analyzer = &analysis.Analyzer{
	Name:  "signature-replay",
	Title: "Replayable signature",
	Doc: analysis.Doc{
		Summary: "An action is authorized by a signature over a message that has no nonce and is not " +
			"marked as used, so the same signature can be submitted again.",
		Exploit: "`transferWithSig(to, amount, v, r, s)` checks `ecrecover(keccak256(to, amount), v, r, s) == " +
			"owner`. After one legitimate transfer, the recipient resubmits the same signature until the " +
			"balance is empty.",
		Recommendation: "Include a per-signer nonce (incremented on use), the chain id and address(this) " +
			"(EIP-712 domain) and a deadline in the signed message, or record used hashes.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategorySignature,
	SWC:        "SWC-121",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	for _, fn := range m.Functions {
		if !fn.Implemented() || authutil.TestCode(fn) || fn.IsView() {
			continue
		}
		for _, rc := range authutil.Recoveries(fn) {
			defs := authutil.Definitions(m, fn, rc.Digest)
			built := false
			for _, d := range defs {
				if ast.Contains(d, authutil.IsHashCall) {
					built = true
				}
			}
			if !built || nonce(m, fn, defs) || oneShot(m, fn) || authutil.StateBound(m, fn, defs) || m.NeverCompletes(fn) {
				continue
			}
			extra := ""
			if !domain(defs) {
				extra = ", chain id or contract address"
			}
			rep.Report(fn, rc.Site.Expr, 0, "signature checked in %s can be replayed: the signed message has no nonce%s", fn.String(), extra)
		}
	}
	return nil, nil
}

// nonce reports a nonce in the message, or a used-hash mapping written or
// checked with a value of the message chain.
func nonce(m *sema.Model, fn *sema.Function, defs []ast.Expr) bool {
	vars := map[*sema.Var]bool{}
	for _, d := range defs {
		if ast.Contains(d, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Ident:
				if v := m.Ref(x).Var; v != nil && v.Kind != sema.VarState {
					vars[v] = true
				}
				return strings.Contains(strings.ToLower(x.Name), "nonce")
			case *ast.MemberExpr:
				return x.Member != nil && strings.Contains(strings.ToLower(x.Member.Name), "nonce")
			}
			return false
		}) {
			return true
		}
	}
	for _, p := range fn.Params {
		if p.Type != nil && (p.Type.Name == "bytes" || p.Type.Name == "bytes32") {
			vars[p] = true
		}
	}
	// used[hash] / executed[sig] in a condition or a write.
	found := false
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		ix, ok := n.(*ast.IndexExpr)
		if !ok || ix.Index == nil || authutil.StateRoot(m, ix.X) == nil {
			return true
		}
		if ast.Contains(ix.Index, func(k ast.Node) bool {
			id, ok := k.(*ast.Ident)
			return ok && vars[m.Ref(id).Var]
		}) {
			found = true
		}
		return !found
	})
	return found
}

// domain reports chain id, address(this) or an EIP-712 domain separator
// in the message.
func domain(defs []ast.Expr) bool {
	for _, d := range defs {
		if ast.Contains(d, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.Ident:
				l := strings.ToLower(x.Name)
				return x.Name == "this" || strings.Contains(l, "domain") || strings.Contains(l, "chainid") || strings.Contains(l, "typeddata")
			case *ast.MemberExpr:
				return x.Member != nil && (x.Member.Name == "chainid" || strings.Contains(strings.ToLower(x.Member.Name), "typeddata"))
			}
			return false
		}) {
			return true
		}
	}
	return false
}

// oneShot reports actions that can happen once per signer or message by
// design: fn or a callee tests a voted/claimed/used/executed record.
func oneShot(m *sema.Model, fn *sema.Function) bool {
	for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
		if f.Def.Body == nil {
			continue
		}
		for _, cs := range f.Calls() {
			// Ballots are counted once per voter by the counting module.
			if l := strings.ToLower(cs.Method); strings.Contains(l, "castvote") || strings.Contains(l, "countvote") {
				return true
			}
		}
		for _, c := range f.Conditions() {
			if ast.Contains(c, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return false
				}
				v := m.Ref(id).Var
				if v == nil || v.Kind != sema.VarState {
					return false
				}
				l := strings.ToLower(v.Name)
				for _, w := range []string{"voted", "claimed", "used", "executed", "redeemed", "processed", "spent"} {
					if strings.Contains(l, w) {
						return true
					}
				}
				return false
			}) {
				return true
			}
		}
	}
	return false
}
