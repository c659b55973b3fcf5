// Package authutil holds helpers shared by the access-control, randomness
// and signature detectors: guard and reachability queries over the
// semantic model, condition collection, privileged-name heuristics and
// small expression utilities.
package authutil

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Unconvert strips parentheses and elementary type conversions such as
// address(x), payable(x) and uint256(x).
func Unconvert(e ast.Expr) ast.Expr {
	for i := 0; i < 8; i++ {
		e = ast.Unparen(e)
		ce, ok := e.(*ast.CallExpr)
		if !ok || len(ce.Args) != 1 {
			return e
		}
		if _, ok := ce.Fun.(*ast.ElementaryTypeExpr); !ok {
			return e
		}
		e = ce.Args[0]
	}
	return e
}

// IsSender reports msg.sender or _msgSender(), possibly converted.
func IsSender(e ast.Expr) bool {
	e = Unconvert(e)
	if ast.IsMember(e, "msg", "sender") {
		return true
	}
	if ce, ok := e.(*ast.CallExpr); ok && len(ce.Args) == 0 {
		if id, ok := ce.Fun.(*ast.Ident); ok && (id.Name == "_msgSender" || id.Name == "msgSender") {
			return true
		}
	}
	return false
}

// IsThis reports `this` or address(this).
func IsThis(e ast.Expr) bool {
	id, ok := Unconvert(e).(*ast.Ident)
	return ok && id.Name == "this"
}

// IsSelfBalance reports address(this).balance or this.balance.
func IsSelfBalance(e ast.Expr) bool {
	me, ok := ast.Unparen(e).(*ast.MemberExpr)
	return ok && me.Member != nil && me.Member.Name == "balance" && IsThis(me.X)
}

// IsSelfTokenBalance reports X.balanceOf(address(this)) and
// balanceOf(address(this)).
func IsSelfTokenBalance(e ast.Expr) bool {
	ce, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(ce.Args) != 1 || !IsThis(ce.Args[0]) {
		return false
	}
	return CalleeName(ce) == "balanceOf"
}

// CalleeName returns the called name of ce: f for f(), x.f(), x.f{...}()
// and x.f.value(v)(); "" if there is none.
func CalleeName(ce *ast.CallExpr) string {
	fun := ce.Fun
	for i := 0; i < 4; i++ {
		switch f := fun.(type) {
		case *ast.CallOptions:
			fun = f.X
			continue
		case *ast.Ident:
			return f.Name
		case *ast.MemberExpr:
			if f.Member == nil {
				return ""
			}
			if (f.Member.Name == "value" || f.Member.Name == "gas") && i == 0 {
				if inner, ok := f.X.(*ast.MemberExpr); ok && inner.Member != nil {
					return inner.Member.Name
				}
			}
			return f.Member.Name
		}
		return ""
	}
	return ""
}

// IsHashCall reports a call of keccak256, sha3 or sha256.
func IsHashCall(n ast.Node) bool {
	ce, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ce.Fun.(*ast.Ident)
	return ok && (id.Name == "keccak256" || id.Name == "sha3" || id.Name == "sha256")
}

// SenderCompared reports a condition comparing msg.sender with anything
// (state, parameter or call) using == or !=: the caller is bound to a
// specific identity.
func SenderCompared(cond ast.Expr) bool {
	return ast.Contains(cond, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
			return false
		}
		return IsSender(b.X) || IsSender(b.Y)
	})
}

// senderLocalCompared reports a comparison of a local variable holding
// msg.sender (`address caller = _msgSender(); if (caller != owner) ...`).
func senderLocalCompared(fn *sema.Function, cond ast.Expr) bool {
	return ast.Contains(cond, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || (b.Op != lexer.Eq && b.Op != lexer.Ne) {
			return false
		}
		for _, side := range []ast.Expr{b.X, b.Y} {
			if id, ok := Unconvert(side).(*ast.Ident); ok {
				t := fn.Taint(id)
				if t.Has(sema.SrcSender) && !t.Has(sema.SrcParam) {
					return true
				}
			}
		}
		return false
	})
}

// Protected reports whether fn restricts its callers: an access-control or
// tx.origin guard found by the model, or a condition in the function (or
// its modifiers' bodies) binding msg.sender to some identity.
func Protected(fn *sema.Function) bool {
	if fn == nil {
		return false
	}
	gs := fn.Guards()
	if gs.AccessControl || gs.TxOrigin {
		return true
	}
	if fn.Def != nil && fn.Def.Body != nil {
		for _, c := range fn.Conditions() {
			if SenderCompared(c) || senderLocalCompared(fn, c) {
				return true
			}
		}
	}
	for _, mc := range fn.Modifiers {
		if mc.Modifier != nil && mc.Modifier.Def != nil && mc.Modifier.Def.Body != nil {
			for _, c := range mc.Modifier.Conditions() {
				if SenderCompared(c) {
					return true
				}
			}
		}
	}
	return false
}

// Reach is a function reached from a public entry point through internal
// or library calls without crossing a guard.
type Reach struct {
	// Entry is the public or external unguarded function.
	Entry *sema.Function
	// Fn is the reached function (Entry itself at depth 0).
	Fn *sema.Function
	// Depth is the number of internal calls from Entry to Fn.
	Depth int
}

// maxDepth bounds the internal call chains followed by Unguarded.
const maxDepth = 4

// Unguarded lists every function reachable from an unguarded public or
// external function of a contract (not a library or interface) through
// unguarded internal calls, paired with its entry point. Constructors are
// not entries, nor are functions that always revert (Safe's
// simulateAndRevert): they leave no state change behind.
func Unguarded(m *sema.Model) []Reach {
	var out []Reach
	for _, fn := range m.Functions {
		if !fn.IsPubliclyReachable() || !fn.Implemented() || fn.Contract == nil || fn.Contract.IsInterface() || TestCode(fn) || Protected(fn) || fn.AlwaysReverts() {
			continue
		}
		seen := map[*sema.Function]bool{fn: true}
		type item struct {
			fn    *sema.Function
			depth int
		}
		queue := []item{{fn, 0}}
		for len(queue) > 0 {
			it := queue[0]
			queue = queue[1:]
			out = append(out, Reach{Entry: fn, Fn: it.fn, Depth: it.depth})
			if it.depth >= maxDepth {
				continue
			}
			for _, cs := range it.fn.Calls() {
				if cs.Kind != sema.CallInternal && cs.Kind != sema.CallLibrary {
					continue
				}
				c := cs.Callee
				if c == nil || !c.Implemented() || seen[c] || Protected(c) {
					continue
				}
				seen[c] = true
				queue = append(queue, item{c, it.depth + 1})
			}
		}
	}
	return out
}

// TestCode reports whether fn belongs to test scaffolding that is never
// deployed ([analysis.TestDouble]: its contract's name or its file's
// directory says mock or harness).
func TestCode(fn *sema.Function) bool {
	name, path := "", ""
	if fn.Contract != nil {
		name = fn.Contract.Name
	}
	if fn.File != nil && fn.File.Source != nil {
		path = fn.File.Source.Name()
	}
	return analysis.TestDouble(name, path)
}

// EntryControlled reports whether e, in the body of fn reached from entry,
// carries a value chosen by the caller of entry: one of entry's parameters
// (through internal call arguments), msg.data, or, when sender is set,
// msg.sender.
func EntryControlled(entry, fn *sema.Function, e ast.Expr, sender bool) bool {
	t := fn.Taint(e)
	if t.Has(sema.SrcData) || (sender && (t.Has(sema.SrcSender) || t.Has(sema.SrcOrigin))) {
		return true
	}
	if !t.Has(sema.SrcParam) {
		return false
	}
	for _, p := range entry.Params {
		if t.HasParam(p) {
			return true
		}
	}
	return false
}

// StateRoot returns the state variable at the root of an lvalue-like
// expression (x, x[i], x[i][j], x.f, x[i].f), or nil.
func StateRoot(m *sema.Model, e ast.Expr) *sema.Var {
	if v := m.RootVar(e); v != nil && v.Kind == sema.VarState {
		return v
	}
	return nil
}

// Indices returns the index expressions of x[i][j]... outermost last
// (x[i][j] gives [i, j]).
func Indices(e ast.Expr) []ast.Expr {
	var rev []ast.Expr
	for i := 0; i < 8; i++ {
		switch x := ast.Unparen(e).(type) {
		case *ast.IndexExpr:
			rev = append(rev, x.Index)
			e = x.X
		case *ast.MemberExpr:
			e = x.X
		default:
			out := make([]ast.Expr, len(rev))
			for j := range rev {
				out[j] = rev[len(rev)-1-j]
			}
			return out
		}
	}
	return nil
}

// Assignments returns the assignment expressions of a body, keyed by
// their left-hand side.
func Assignments(body ast.Node) map[ast.Expr]*ast.AssignExpr {
	out := map[ast.Expr]*ast.AssignExpr{}
	if body == nil {
		return out
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignExpr); ok && a.LHS != nil {
			out[a.LHS] = a
		}
		return true
	})
	return out
}

var privilegedRE = regexp.MustCompile(`(?i)(owner|admin|governance|governor|guardian|minter|pauser|oracle|pricefeed|feed|treasury|implementation|controller|authority|signer|feeto|feerecipient|fee|keeper|manager|operator|beneficiary|creator|role|dev|master|whitelist|blacklist|wards|auth|moderator|executor|timelock|rewarddistribution|vault|router)`)

var notPrivilegedRE = regexp.MustCompile(`(?i)(pending|proposed|nominated|candidate|count|num|last|balance|allowance|approv|nonce|index)`)

// PrivilegedName reports whether a state variable name suggests a
// privileged role or critical configuration (owner, admin, oracle, fee,
// treasury, minter, implementation, ...).
func PrivilegedName(name string) bool {
	return privilegedRE.MatchString(name) && !notPrivilegedRE.MatchString(name)
}

// Unprivileged reports names of per-user bookkeeping (balances,
// allowances, nonces, pending roles) that are never privileges.
func Unprivileged(name string) bool { return notPrivilegedRE.MatchString(name) }

// OwnerLikeName reports names of ownership variables (owner, admin,
// creator, ...).
func OwnerLikeName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"owner", "admin", "creator", "ceo", "boss", "master", "governance", "dev", "manager", "operator", "controller", "authority", "root", "founder", "deployer"} {
		if strings.Contains(l, w) {
			return !notPrivilegedRE.MatchString(name)
		}
	}
	return false
}

// AccessVars returns the state variables used in access checks anywhere
// in the model: compared with msg.sender, or indexed by msg.sender, in a
// condition of a function or modifier.
func AccessVars(m *sema.Model) map[*sema.Var]bool {
	out := map[*sema.Var]bool{}
	visit := func(body ast.Node) {
		for _, c := range m.ConditionsIn(body) {
			ast.Inspect(c, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.BinaryExpr:
					if x.Op == lexer.Eq || x.Op == lexer.Ne {
						if IsSender(x.X) {
							if v := StateRoot(m, Unconvert(x.Y)); v != nil {
								out[v] = true
							}
						}
						if IsSender(x.Y) {
							if v := StateRoot(m, Unconvert(x.X)); v != nil {
								out[v] = true
							}
						}
					}
				case *ast.IndexExpr:
					if x.Index != nil && IsSender(x.Index) {
						if v := StateRoot(m, x.X); v != nil {
							out[v] = true
						}
					}
				}
				return true
			})
		}
	}
	for _, fn := range m.Functions {
		if fn.Def != nil && fn.Def.Body != nil {
			visit(fn.Def.Body)
		}
	}
	for _, md := range m.Modifiers {
		if md.Def != nil && md.Def.Body != nil {
			visit(md.Def.Body)
		}
	}
	return out
}

// FileOf returns the pass file holding fn.
func FileOf(pass *analysis.Pass, fn *sema.Function) *analysis.File {
	if fn == nil || fn.File == nil {
		return nil
	}
	for _, f := range pass.Files {
		if f.AST == fn.File.Unit {
			return f
		}
	}
	return nil
}

// BlockSource reports block.timestamp, now, block.number, block.difficulty,
// block.prevrandao, block.coinbase, block.gaslimit, blockhash(...) and
// block.blockhash(...).
func BlockSource(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.Ident:
		return x.Name == "now"
	case *ast.MemberExpr:
		if x.Member == nil {
			return false
		}
		switch x.Member.Name {
		case "timestamp", "number", "difficulty", "prevrandao", "coinbase", "gaslimit":
			return ast.IsMember(x, "block", x.Member.Name)
		}
	case *ast.CallExpr:
		return IsBlockhash(x)
	}
	return false
}

// IsBlockhash reports blockhash(n) and block.blockhash(n).
func IsBlockhash(n ast.Node) bool {
	ce, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch f := ce.Fun.(type) {
	case *ast.Ident:
		return f.Name == "blockhash"
	case *ast.MemberExpr:
		return ast.IsMember(f, "block", "blockhash")
	}
	return false
}

// IsTimestamp reports block.timestamp and now.
func IsTimestamp(n ast.Node) bool {
	if id, ok := n.(*ast.Ident); ok {
		return id.Name == "now"
	}
	return ast.IsMember(n, "block", "timestamp")
}

// Reporter reports findings once per (file, line), so that a statement
// reached from several entry points, or matched by several patterns, is
// reported a single time.
type Reporter struct {
	pass *analysis.Pass
	seen map[string]bool
}

// NewReporter returns a Reporter for pass.
func NewReporter(pass *analysis.Pass) *Reporter {
	return &Reporter{pass: pass, seen: map[string]bool{}}
}

// Report reports a finding at node of the file of fn with the analyzer's
// default severity; sev overrides it when valid.
func (r *Reporter) Report(fn *sema.Function, node ast.Node, sev analysis.Severity, format string, args ...any) {
	if fn == nil {
		return
	}
	r.ReportFile(fn.File, node, sev, format, args...)
}

// ReportFile is Report for a node of the model file sf.
func (r *Reporter) ReportFile(sf *sema.File, node ast.Node, sev analysis.Severity, format string, args ...any) {
	if node == nil {
		return
	}
	var f *analysis.File
	for _, pf := range r.pass.Files {
		if sf != nil && pf.AST == sf.Unit {
			f = pf
			break
		}
	}
	if f == nil {
		key := fmt.Sprintf("?:%d", node.Pos())
		if r.seen[key] {
			return
		}
		r.seen[key] = true
		r.pass.Reportf(node, format, args...)
		return
	}
	line := int(node.Pos())
	if f.Source != nil {
		line, _ = f.Source.LineCol(node.Span().Start)
	}
	key := fmt.Sprintf("%s:%d", f.Path, line)
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	fd := analysis.Finding{Message: fmt.Sprintf(format, args...)}
	if sev.Valid() {
		fd.Severity = sev
	}
	analysis.Locate(&fd, f, node.Span())
	r.pass.Report(fd)
}

// HeaderNode returns the node to report a function at: its name, or the
// definition for unnamed functions.
func HeaderNode(fn *sema.Function) ast.Node {
	if fn.Def.Name != nil {
		return fn.Def.Name
	}
	return fn.Def
}
