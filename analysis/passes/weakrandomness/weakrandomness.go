package weakrandomness

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports weak randomness sources.
var Analyzer = &analysis.Analyzer{
	Name:  "weak-randomness",
	Title: "Weak randomness from block attributes",
	Doc: analysis.Doc{
		Summary: "A random value is derived from block attributes (timestamp, number, difficulty, " +
			"prevrandao, coinbase, blockhash), which miners/validators control and other contracts can " +
			"compute in the same block.",
		Exploit: "A lottery picks `uint(keccak256(block.timestamp, block.difficulty)) % 10`. The " +
			"attacker's contract computes the same expression in the same transaction and only plays " +
			"when it wins; a validator can also withhold unfavourable blocks.",
		Recommendation: "Use a verifiable randomness source (Chainlink VRF) or a commit-reveal scheme " +
			"with a future blockhash that the player cannot predict.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryRandomness,
	SWC:        "SWC-120",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

const msg = "weak randomness: %s derives a random value from block attributes"

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	seeds := stateSeeds(m)
	usedSeeds := map[*sema.Var]bool{}
	stateful := statefulReach(m)
	for _, fn := range m.Functions {
		if !fn.Implemented() || authutil.TestCode(fn) {
			continue
		}
		// A view no state-changing code of the audited sources reaches
		// (an off-chain check, a sampling getter) decides nothing on chain
		// by itself; an unseen consumer might: medium.
		sev, suffix := analysis.Severity(0), ""
		if !stateful[fn] {
			sev, suffix = analysis.Medium, " (in a view no state-changing code here uses)"
		}
		name := fn.String()
		isSeed := func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return false
			}
			v := m.Ref(id).Var
			if v != nil && seeds[v] {
				usedSeeds[v] = true
				return true
			}
			return false
		}
		// committed reports blockhash(n) where n is checked against a
		// commitment stored before the block existed (commit-reveal, a
		// VRF request): the caller could not choose the block once its
		// hash was known.
		committed := func(e ast.Expr) bool {
			ce, ok := ast.Unparen(e).(*ast.CallExpr)
			return ok && authutil.IsBlockhash(ce) && len(ce.Args) == 1 && authutil.StateBound(m, fn, ce.Args)
		}
		random := func(e ast.Expr) bool {
			return ast.Contains(e, authutil.BlockSource) || ast.Contains(e, isSeed) || fn.Taint(e).Has(sema.SrcBlock) && ast.Contains(e, isLocalIdent(m))
		}
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			if authutil.IsHashCall(n) && uniqueID(m, fn, n.(*ast.CallExpr)) {
				return false // id generation, not randomness
			}
			switch x := n.(type) {
			case *ast.BinaryExpr:
				if x.Op == lexer.Mod && random(x.X) && !pureTime(x.X) && !timeUnit(x.Y) {
					rep.Report(fn, x, sev, msg+suffix, name)
				}
				if (x.Op == lexer.Eq || x.Op == lexer.Ne) && (hashOfBlock(x.X) || hashOfBlock(x.Y) || usedBlockhash(x.X, x.Y) || usedBlockhash(x.Y, x.X)) {
					rep.Report(fn, x, sev, msg+suffix, name)
				}
			case *ast.CallExpr:
				if _, conv := x.Fun.(*ast.ElementaryTypeExpr); conv && len(x.Args) == 1 {
					if a := ast.Unparen(x.Args[0]); (hashOfBlock(a) && !uniqueID(m, fn, a.(*ast.CallExpr))) || authutil.IsBlockhash(a) {
						rep.Report(fn, x, sev, msg+suffix, name)
					}
				}
			case *ast.VarDeclStmt:
				if x.Value != nil && (strong(x.Value) || authutil.IsBlockhash(ast.Unparen(x.Value)) && !committed(x.Value)) && decisive(m, fn, x) {
					rep.Report(fn, x, sev, msg+suffix, name)
				}
			case *ast.AssignExpr:
				if x.RHS != nil && (strong(x.RHS) || authutil.IsBlockhash(ast.Unparen(x.RHS)) && !committed(x.RHS)) {
					rep.Report(fn, x, sev, msg+suffix, name)
				}
			case *ast.IndexExpr:
				if x.Index != nil && (hashOfBlock(authutil.Unconvert(x.Index)) || strong(x.Index)) {
					rep.Report(fn, x, sev, msg+suffix, name)
				}
			}
			return true
		})
	}
	for v := range seeds {
		if usedSeeds[v] && v.Contract != nil {
			rep.ReportFile(v.Contract.File, v.Decl, 0, "weak randomness: state variable %s is seeded from block attributes", v.Name)
		}
	}
	return nil, nil
}

// strong reports difficulty, prevrandao, coinbase or gaslimit used as a
// value (not as the receiver of a call such as block.coinbase.transfer).
func strong(e ast.Node) bool {
	return ast.Contains(e, func(n ast.Node) bool {
		me, ok := n.(*ast.MemberExpr)
		if !ok || me.Member == nil {
			return false
		}
		switch me.Member.Name {
		case "difficulty", "prevrandao", "gaslimit":
			return ast.IsMember(me, "block", me.Member.Name)
		case "coinbase":
			return ast.IsMember(me, "block", "coinbase")
		}
		return false
	}) && !coinbaseCallOnly(e)
}

// coinbaseCallOnly reports block.coinbase.transfer(...)-style uses.
func coinbaseCallOnly(e ast.Node) bool {
	ce, ok := ast.Unparen(e.(ast.Expr)).(*ast.CallExpr)
	if !ok {
		return false
	}
	me, ok := ce.Fun.(*ast.MemberExpr)
	if !ok {
		if co, ok := ce.Fun.(*ast.CallOptions); ok {
			me, _ = co.X.(*ast.MemberExpr)
		}
	}
	return me != nil && ast.IsMember(authutil.Unconvert(me.X), "block", "coinbase")
}

// hashOfBlock reports keccak256/sha3/sha256 over block attributes.
func hashOfBlock(e ast.Expr) bool {
	e = ast.Unparen(e)
	return authutil.IsHashCall(e) && ast.Contains(e, authutil.BlockSource)
}

// usedBlockhash reports `blockhash(n) == guess` (not a comparison with 0).
func usedBlockhash(x, y ast.Expr) bool {
	if !authutil.IsBlockhash(authutil.Unconvert(x)) {
		return false
	}
	if lit, ok := authutil.Unconvert(y).(*ast.Literal); ok && (lit.Value == "0" || lit.Value == "0x0") {
		return false
	}
	return true
}

// pureTime reports an expression whose only block attribute is the
// timestamp, with no hashing: timestamp arithmetic, not a draw.
func pureTime(e ast.Expr) bool {
	onlyTime := true
	ast.Contains(e, func(n ast.Node) bool {
		if authutil.BlockSource(n) && !authutil.IsTimestamp(n) || authutil.IsHashCall(n) {
			onlyTime = false
		}
		return false
	})
	return onlyTime && ast.Contains(e, authutil.IsTimestamp)
}

// timeUnit reports a literal with a time unit (1 days, 3600 seconds).
func timeUnit(e ast.Expr) bool {
	lit, ok := ast.Unparen(e).(*ast.Literal)
	return ok && lit.Unit != "" && lit.Unit != "wei" && lit.Unit != "ether"
}

// isLocalIdent matches identifiers of locals (block-derived values flow
// through them).
func isLocalIdent(m *sema.Model) func(ast.Node) bool {
	return func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return false
		}
		v := m.Ref(id).Var
		return v != nil && v.Kind == sema.VarLocal
	}
}

// stateSeeds returns state variables initialized or assigned from block
// attributes, such as `uint private salt = block.timestamp;`.
func stateSeeds(m *sema.Model) map[*sema.Var]bool {
	out := map[*sema.Var]bool{}
	for _, c := range m.Contracts {
		for _, v := range c.StateVars {
			if v.Decl.Value != nil && !v.Decl.Constant && ast.Contains(v.Decl.Value, authutil.BlockSource) {
				out[v] = true
			}
		}
	}
	return out
}

// uniqueID reports a hash of block attributes that also includes a
// counter the function advances (`keccak256(blockhash(n-1), this,
// nonce); nonce++`): an id generator, unique by the counter, not a
// source of randomness anyone bets on.
func uniqueID(m *sema.Model, fn *sema.Function, hash *ast.CallExpr) bool {
	written := map[*sema.Var]bool{}
	for _, v := range fn.TransitiveStateWrites() {
		written[v] = true
	}
	// locals initialized from a state variable (uint64 n = s_nonce).
	copies := map[*sema.Var]*sema.Var{}
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		if d, ok := n.(*ast.VarDeclStmt); ok && d.Value != nil && len(d.Decls) == 1 && d.Decls[0] != nil && d.Decls[0].Name != nil {
			if root := stateRoot(m, d.Value); root != nil {
				for _, l := range fn.Locals() {
					if l.Name == d.Decls[0].Name.Name {
						copies[l] = root
					}
				}
			}
		}
		return true
	})
	found := false
	for _, a := range hash.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if found {
				return false
			}
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			v := stateRoot(m, e)
			if v == nil {
				if id, ok := e.(*ast.Ident); ok {
					v = copies[m.Ref(id).Var]
				}
			}
			if v != nil && written[v] && (v.Type == nil || v.Type.IsInteger() || v.Type.Kind == sema.TypeStruct) {
				found = true
			}
			return true
		})
	}
	return found
}

// stateRoot returns the state variable e reads: v or v.field.
func stateRoot(m *sema.Model, e ast.Expr) *sema.Var {
	for i := 0; i < 4; i++ {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			if v := m.Ref(x).Var; v != nil && v.IsState() {
				return v
			}
			return nil
		case *ast.MemberExpr:
			e = x.X
		default:
			return nil
		}
	}
	return nil
}

// statefulReach returns the functions that are not view or pure, and the
// view or pure functions they call, transitively.
func statefulReach(m *sema.Model) map[*sema.Function]bool {
	out := map[*sema.Function]bool{}
	var visit func(fn *sema.Function)
	visit = func(fn *sema.Function) {
		if out[fn] {
			return
		}
		out[fn] = true
		for _, c := range fn.Callees() {
			visit(c)
		}
	}
	for _, fn := range m.Functions {
		if !fn.IsView() {
			visit(fn)
		}
	}
	return out
}

// decisive reports whether a local declared by d (with a block-derived
// value) can decide anything: it, or a local assigned from it, is tested
// in a condition (other than against zero), returned, reduced with %,
// passed to a call, written to storage or used to index a storage write.
// A value only feeding dead locals (Chainlink's gas-burning dummy reads)
// decides nothing.
func decisive(m *sema.Model, fn *sema.Function, d *ast.VarDeclStmt) bool {
	vars := map[*sema.Var]bool{}
	for _, l := range fn.Locals() {
		for _, dd := range d.Decls {
			if dd != nil && l.Decl == dd {
				vars[l] = true
			}
		}
	}
	if len(vars) == 0 {
		return true
	}
	mentions := func(e ast.Node) bool {
		return e != nil && ast.Contains(e, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			return ok && vars[m.Ref(id).Var]
		})
	}
	// Locals assigned from the value (not the value's own update).
	for round := 0; round < 4; round++ {
		grew := false
		ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
			var lhs ast.Expr
			var rhs ast.Node
			switch x := n.(type) {
			case *ast.AssignExpr:
				lhs, rhs = x.LHS, x.RHS
			case *ast.VarDeclStmt:
				if len(x.Decls) == 1 && x.Decls[0] != nil && x.Decls[0].Name != nil {
					lhs, rhs = x.Decls[0].Name, x.Value
				}
			}
			if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && mentions(rhs) {
				v := m.Ref(id).Var
				if v == nil {
					for _, l := range fn.Locals() {
						if l.Decl != nil && l.Decl.Name == id {
							v = l
						}
					}
				}
				if v != nil && v.Kind != sema.VarState && !vars[v] {
					vars[v] = true
					grew = true
				}
			}
			return true
		})
		if !grew {
			break
		}
	}
	for _, c := range fn.Conditions() {
		if mentions(c) && !zeroCompare(c) {
			return true
		}
	}
	found := false
	ast.Inspect(fn.Def.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ReturnStmt:
			found = found || mentions(x.Value)
		case *ast.BinaryExpr:
			found = found || x.Op == lexer.Mod && mentions(x.X)
		case *ast.CallExpr:
			if cs := m.CallSiteOf(x); cs != nil && cs.Kind != sema.CallBuiltin {
				for _, a := range x.Args {
					found = found || mentions(a)
				}
			}
		case *ast.AssignExpr:
			if v := m.RootVar(x.LHS); v != nil && v.IsState() && (mentions(x.RHS) || mentions(x.LHS)) {
				found = true
			}
		}
		return !found
	})
	return found
}

// zeroCompare reports a condition x == 0 / x != 0 (bytes32(0) included).
func zeroCompare(c ast.Expr) bool {
	b, ok := ast.Unparen(c).(*ast.BinaryExpr)
	if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
		return false
	}
	for _, side := range []ast.Expr{b.X, b.Y} {
		if lit, ok := authutil.Unconvert(side).(*ast.Literal); ok && strings.Trim(strings.TrimPrefix(lit.Value, "0x"), "0") == "" {
			return true
		}
	}
	return false
}
