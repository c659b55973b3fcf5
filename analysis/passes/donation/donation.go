package donation

import (
	"regexp"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports share math based on the contract's own balance.
var Analyzer = &analysis.Analyzer{
	Name:  "donation-inflation",
	Title: "Share price based on a donatable balance",
	Doc: analysis.Doc{
		Summary: "Share or exchange-rate math uses the contract's own token balance " +
			"(balanceOf(address(this)) or address(this).balance) as its total assets, without " +
			"virtual shares, a decimals offset, dead shares or a minimum-liquidity burn. Anyone can " +
			"inflate the share price by transferring tokens to the contract, and the first " +
			"depositor can steal later deposits.",
		Exploit: "The attacker deposits 1 wei into the empty vault and receives 1 share, then " +
			"transfers 10,000 tokens directly to the vault. totalAssets() is now 10,000e18 + 1 with " +
			"one share outstanding; a victim depositing 9,999 tokens gets 9,999e18 * 1 / " +
			"(10,000e18 + 1) = 0 shares, and the attacker redeems the single share for both " +
			"deposits (Hundred Finance, Raft, 2023).",
		Recommendation: "Track deposited assets in a state variable instead of reading the " +
			"balance, and use virtual shares and assets (OpenZeppelin ERC4626 _decimalsOffset) or " +
			"mint dead shares on the first deposit; revert deposits that mint zero shares.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryDeFi,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var (
	supplyName = regexp.MustCompile(`(?i)supply|totalshares`)
	deadName   = regexp.MustCompile(`(?i)minimum_?liquidity|min_?liquidity|dead_?shares|initial_?shares|virtual_?(shares|assets)`)
	mulDivName = regexp.MustCompile(`(?i)muldiv|fullmul|^(div|mul)(down|up|wad)`)
	burnName   = regexp.MustCompile(`(?i)dead|burn`)
	vaultFuncs = map[string]bool{"totalAssets": true, "convertToShares": true, "previewDeposit": true, "previewRedeem": true}
)

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	reported := make(map[ast.Node]bool)
	for _, c := range m.Contracts {
		if c.Kind != ast.KindContract {
			continue
		}
		checkContract(pass, m, c, reported)
	}
	return nil, nil
}

// analysis state for one contract.
type state struct {
	m *sema.Model
	c *sema.Contract
	// fnOrigin maps functions whose return value derives from the own
	// balance to the balance read.
	fnOrigin map[*sema.Function]ast.Node
	// varOrigin maps locals derived from the own balance to the read.
	varOrigin map[*sema.Var]ast.Node
}

func checkContract(pass *analysis.Pass, m *sema.Model, c *sema.Contract, reported map[ast.Node]bool) {
	fns := c.AllFunctions()
	st := &state{m: m, c: c, fnOrigin: map[*sema.Function]ast.Node{}, varOrigin: map[*sema.Var]ast.Node{}}
	// Fixpoint over functions (return values) and locals.
	for iter := 0; iter < 6; iter++ {
		changed := false
		for _, fn := range fns {
			if !fn.Implemented() {
				continue
			}
			if st.scan(fn) {
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	if len(st.fnOrigin) == 0 && len(st.varOrigin) == 0 {
		return
	}
	if mitigated(m, c, fns) || !dynamicSupply(fns) {
		return
	}
	vault := false
	for _, fn := range fns {
		if vaultFuncs[fn.Name] {
			vault = true
		}
	}
	for _, fn := range fns {
		if !fn.Implemented() {
			continue
		}
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			var origin ast.Node
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if (n.Op == lexer.Div || n.Op == lexer.Mul) && defiutil.Mentions(n, supplyName) && !virtualOffset(n) {
					origin = st.origin(n)
				}
			case *ast.CallExpr:
				if mulDivName.MatchString(defiutil.CallName(n)) && defiutil.Mentions(n, supplyName) && !virtualOffset(n) {
					origin = st.origin(n)
				}
			}
			if origin != nil && !reported[origin] {
				reported[origin] = true
				sev := analysis.Medium
				if vault {
					sev = analysis.High
				}
				defiutil.ReportSeverity(pass, origin, sev, "share math in %s uses the contract's own balance as total assets: a direct transfer inflates the share price (first-depositor inflation); use internal accounting and virtual shares or dead shares", fn)
				return false
			}
			return n != nil
		})
	}
}

// scan updates the balance origins of fn's locals and return value and
// reports whether anything changed.
func (st *state) scan(fn *sema.Function) bool {
	changed := false
	set := func(v *sema.Var, o ast.Node) {
		if v == nil || o == nil || v.Kind == sema.VarState {
			return
		}
		if _, ok := st.varOrigin[v]; !ok {
			st.varOrigin[v] = o
			changed = true
		}
		if v.Kind == sema.VarReturn {
			st.setFn(fn, o, &changed)
		}
	}
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.VarDeclStmt:
			if n.Value != nil && len(n.Decls) == 1 && n.Decls[0] != nil {
				set(st.m.VarOf(n.Decls[0]), st.origin(n.Value))
			}
		case *ast.AssignExpr:
			if n.Op == lexer.Assign || n.Op == lexer.AssignAdd {
				if v := defiutil.VarOfIdent(st.m, n.LHS); v != nil {
					set(v, st.origin(n.RHS))
				}
			}
		case *ast.ReturnStmt:
			if n.Value != nil {
				if o := st.origin(n.Value); o != nil {
					st.setFn(fn, o, &changed)
				}
			}
		}
		return n != nil
	})
	return changed
}

func (st *state) setFn(fn *sema.Function, o ast.Node, changed *bool) {
	if _, ok := st.fnOrigin[fn]; !ok {
		st.fnOrigin[fn] = o
		*changed = true
	}
}

// origin returns the own-balance read that e's value derives from, or nil.
// Differences whose right side is also balance-derived (measured deltas)
// do not count.
func (st *state) origin(e ast.Expr) ast.Node {
	e = ast.Unparen(e)
	if e == nil {
		return nil
	}
	if defiutil.IsSelfBalance(e) {
		return e
	}
	switch x := e.(type) {
	case *ast.Ident:
		if v := defiutil.VarOfIdent(st.m, x); v != nil {
			return st.varOrigin[v]
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case lexer.Add, lexer.Mul, lexer.Div:
			if o := st.origin(x.X); o != nil {
				return o
			}
			return st.origin(x.Y)
		case lexer.Sub:
			if st.origin(x.Y) != nil {
				return nil
			}
			return st.origin(x.X)
		}
	case *ast.CondExpr:
		if o := st.origin(x.Then); o != nil {
			return o
		}
		return st.origin(x.Else)
	case *ast.CallExpr:
		if defiutil.IsConversion(x) && len(x.Args) == 1 {
			return st.origin(x.Args[0])
		}
		name := defiutil.CallName(x)
		if cs := st.m.CallSiteOf(x); cs != nil && cs.Callee != nil && (cs.Kind == sema.CallInternal || cs.Kind == sema.CallLibrary && cs.Target == nil) {
			if o := st.fnOrigin[st.c.Dispatch(cs.Callee)]; o != nil {
				return o
			}
		}
		switch name {
		case "sub", "trySub", "subtract":
			return nil
		case "add", "mul", "div", "mulDiv", "mulDivDown", "mulDivUp":
			if t := defiutil.CallTarget(x); t != nil {
				if o := st.origin(t); o != nil {
					return o
				}
			}
			for _, a := range x.Args {
				if o := st.origin(a); o != nil {
					return o
				}
			}
		}
		if mulDivName.MatchString(name) {
			for _, a := range x.Args {
				if o := st.origin(a); o != nil {
					return o
				}
			}
		}
	}
	return nil
}

// virtualOffset reports whether e adds a constant or offset to the supply
// (virtual shares): totalSupply + 10 ** offset, supply + 1.
func virtualOffset(e ast.Node) bool {
	return ast.Contains(e, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != lexer.Add {
			return false
		}
		return defiutil.Mentions(b.X, supplyName) && !defiutil.Mentions(b.Y, supplyName) ||
			defiutil.Mentions(b.Y, supplyName) && !defiutil.Mentions(b.X, supplyName)
	})
}

// mitigated reports a decimals offset, dead shares or a minimum-liquidity
// burn in c.
func mitigated(m *sema.Model, c *sema.Contract, fns []*sema.Function) bool {
	for _, fn := range fns {
		if fn.Name == "_decimalsOffset" || deadName.MatchString(fn.Name) {
			return true
		}
	}
	for _, v := range c.AllStateVars() {
		if deadName.MatchString(v.Name) {
			return true
		}
	}
	for _, fn := range fns {
		if !fn.Implemented() {
			continue
		}
		for _, cs := range fn.Calls() {
			if (cs.Method == "_mint" || cs.Method == "mint") && len(cs.Args) == 2 && deadAddress(cs.Args[0]) {
				return true
			}
		}
	}
	return false
}

// deadAddress reports address(0), address(1), address(0xdead) and
// similar burn addresses.
func deadAddress(e ast.Expr) bool {
	u := defiutil.Unconvert(e)
	if l, ok := u.(*ast.Literal); ok && l.Kind == ast.LitNumber {
		return true
	}
	return defiutil.Mentions(e, burnName)
}

// dynamicSupply reports whether a public function (transitively) writes a
// supply-like state variable: shares are minted after deployment.
func dynamicSupply(fns []*sema.Function) bool {
	for _, fn := range fns {
		if !fn.IsPubliclyReachable() || !fn.Implemented() {
			continue
		}
		for _, v := range fn.TransitiveStateWrites() {
			if supplyName.MatchString(v.Name) {
				return true
			}
		}
	}
	return false
}
