package unprotectedmint

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports unguarded minting.
var Analyzer = &analysis.Analyzer{
	Name:  "unprotected-mint",
	Title: "Unprotected mint",
	Doc: analysis.Doc{
		Summary: "A public function without access control increases the token supply by an amount " +
			"and for a recipient chosen by the caller.",
		Exploit: "`function mint(address to, uint256 amount) public { _mint(to, amount); }`: the " +
			"attacker mints 2^200 tokens to itself and sells them into every pool, draining the pairs.",
		Recommendation: "Restrict minting to a minter role (onlyOwner/onlyRole(MINTER_ROLE)), or tie " +
			"it to a verified payment or proof.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryToken,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	skip := map[*sema.Function]bool{}
	for _, r := range authutil.Unguarded(m) {
		if _, ok := skip[r.Entry]; !ok {
			skip[r.Entry] = paidOrProven(r.Entry)
		}
		if skip[r.Entry] {
			continue
		}
		for _, cs := range r.Fn.Calls() {
			if cs.Expr == nil || (cs.Kind != sema.CallInternal && cs.Kind != sema.CallLibrary) || cs.Callee == nil || len(cs.Args) < 1 {
				continue
			}
			if !writesSupply(cs.Callee) {
				continue
			}
			amount := cs.Args[len(cs.Args)-1]
			if authutil.EntryControlled(r.Entry, r.Fn, amount, false) && !r.Fn.Taint(amount).Has(sema.SrcValue|sema.SrcExternalCall) {
				rep.Report(r.Fn, cs.Expr, 0, "%s lets anyone mint an arbitrary amount of tokens", r.Entry.Name)
			}
		}
		if r.Depth > 0 {
			continue // reported at the call of the mint routine
		}
		for lhs, as := range authutil.Assignments(r.Fn.Def.Body) {
			v := authutil.StateRoot(m, lhs)
			if v == nil || !supplyName(v.Name) {
				continue
			}
			inc := as.Op == lexer.AssignAdd
			if as.Op == lexer.Assign {
				if b, ok := ast.Unparen(as.RHS).(*ast.BinaryExpr); ok && b.Op == lexer.Add {
					inc = true
				} else if ce, ok := ast.Unparen(as.RHS).(*ast.CallExpr); ok && authutil.CalleeName(ce) == "add" {
					inc = true
				}
			}
			if inc && authutil.EntryControlled(r.Entry, r.Fn, as.RHS, false) && !r.Fn.Taint(as.RHS).Has(sema.SrcValue|sema.SrcExternalCall) {
				rep.Report(r.Fn, as, 0, "%s lets anyone mint an arbitrary amount of tokens", r.Entry.Name)
			}
		}
	}
	return nil, nil
}

func supplyName(n string) bool { return strings.Contains(strings.ToLower(n), "supply") }

// writesSupply reports a mint routine: it writes a supply variable.
func writesSupply(fn *sema.Function) bool {
	l := strings.ToLower(fn.Name)
	if !strings.Contains(l, "mint") && !strings.Contains(l, "issue") && !strings.Contains(l, "create") {
		return false
	}
	if strings.Contains(l, "burn") {
		return false
	}
	for _, v := range fn.TransitiveStateWrites() {
		if supplyName(v.Name) {
			return true
		}
	}
	return false
}

// paidOrProven reports entries that take payment, verify a signature or
// proof, or are initializers.
func paidOrProven(fn *sema.Function) bool {
	if fn.IsPayable() || fn.Guards().Initializer || strings.HasPrefix(strings.ToLower(fn.Name), "init") {
		return true
	}
	if _, ext := fn.MakesExternalCall(); ext {
		return true
	}
	for _, f := range append([]*sema.Function{fn}, fn.Callees()...) {
		for _, cs := range f.Calls() {
			switch cs.Method {
			case "ecrecover", "recover", "tryRecover", "verify", "verifyCalldata", "isValidSignatureNow", "processProof":
				return true
			}
		}
	}
	return false
}
