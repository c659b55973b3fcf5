package sema

import (
	"testing"

	"github.com/aegis-defi/aegis/solidity/ast"
)

func callsByMethod(f *Function) map[string]*CallSite {
	out := map[string]*CallSite{}
	for _, cs := range f.Calls() {
		if _, ok := out[cs.Method]; !ok {
			out[cs.Method] = cs
		}
	}
	return out
}

func TestExternalCallClassification(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
interface IERC20 { function transfer(address, uint) external returns (bool); function transferFrom(address, address, uint) external returns (bool); }
interface INFT { function safeTransferFrom(address, address, uint) external; }
contract Child { constructor(uint) payable {} }
contract T {
    IERC20 token;
    INFT nft;
    address payable owner;
    function f(address a, uint n, address[] calldata xs) external payable {
        (bool ok, ) = a.call{value: n}("");
        require(ok);
        a.delegatecall("");
        a.staticcall("");
        payable(a).send(1);
        owner.transfer(2);
        token.transfer(a, n);
        bool r = IERC20(a).transferFrom(msg.sender, a, n);
        if (!r) revert();
        nft.safeTransferFrom(address(this), a, 1);
        new Child{value: 1}(3);
        for (uint i = 0; i < xs.length; i++) { payable(xs[i]).transfer(1); }
        try token.transfer(a, 1) returns (bool) {} catch {}
    }
}
`)
	f := fnOf(t, m, "T", "f")
	cm := callsByMethod(f)
	check := func(method string, kind CallKind, value, used, checked bool) *CallSite {
		t.Helper()
		cs := cm[method]
		if cs == nil {
			t.Fatalf("no call %s", method)
		}
		if cs.Kind != kind || cs.SendsValue() != value || cs.ReturnUsed != used || cs.ReturnChecked != checked || !cs.IsExternal() {
			t.Errorf("%s: kind=%v value=%v used=%v checked=%v ext=%v", method, cs.Kind, cs.SendsValue(), cs.ReturnUsed, cs.ReturnChecked, cs.IsExternal())
		}
		return cs
	}
	check("call", CallLowLevel, true, true, true)
	if d := check("delegatecall", CallLowLevel, false, false, false); !d.IsDelegate() {
		t.Errorf("delegatecall not delegate")
	}
	if s := check("staticcall", CallLowLevel, false, false, false); !s.IsStatic() {
		t.Errorf("not static")
	}
	check("send", CallSend, true, false, false)
	tr := check("transfer", CallTransfer, true, false, false)
	if tr.Loop != nil {
		t.Errorf("first transfer in loop")
	}
	tf := check("transferFrom", CallHighLevel, false, true, true)
	if tf.Callee == nil || tf.Callee.Contract.Name != "IERC20" || tf.Callback != CallbackPossible {
		t.Errorf("transferFrom callee %v callback %v", tf.Callee, tf.Callback)
	}
	if st := check("safeTransferFrom", CallHighLevel, false, false, false); st.Callback != CallbackCertain {
		t.Errorf("safeTransferFrom callback")
	}
	if c := check("Child", CallCreation, true, false, false); c.Created == nil || c.Created.Name != "Child" {
		t.Errorf("creation")
	}
	var tokenTransfer, loopTransfer, tryTransfer int
	for _, cs := range f.Calls() {
		if cs.Method != "transfer" {
			continue
		}
		switch {
		case cs.Kind == CallHighLevel && cs.InTry:
			tryTransfer++
			if !cs.ReturnChecked {
				t.Errorf("try call not checked")
			}
		case cs.Kind == CallHighLevel:
			tokenTransfer++
			if cs.ReturnUsed || cs.ReturnChecked {
				t.Errorf("unchecked token transfer marked used")
			}
			if !cs.TargetType.IsContract() {
				t.Errorf("token target type %v", cs.TargetType)
			}
		case cs.Kind == CallTransfer && cs.Loop != nil:
			loopTransfer++
			if _, ok := cs.Loop.(*ast.ForStmt); !ok {
				t.Errorf("loop %T", cs.Loop)
			}
		}
	}
	if tokenTransfer != 1 || loopTransfer != 1 || tryTransfer != 1 {
		t.Errorf("transfer variants: %d %d %d", tokenTransfer, loopTransfer, tryTransfer)
	}
}

func TestOldValueSyntax(t *testing.T) {
	m := build(t, `pragma solidity ^0.4.24;
contract T {
    function f(address a) public {
        a.call.value(1 ether)();
        if (!a.call.gas(1000).value(2)(bytes4(0x12345678))) { throw; }
        a.send(3);
        var x = 1;
    }
}
`)
	f := fnOf(t, m, "T", "f")
	var calls []*CallSite
	for _, cs := range f.Calls() {
		if cs.Kind == CallLowLevel {
			calls = append(calls, cs)
		}
	}
	if len(calls) != 2 {
		t.Fatalf("low-level calls: %d", len(calls))
	}
	if calls[0].Value == nil || calls[0].ReturnUsed || calls[0].ReturnChecked {
		t.Errorf("first call: %+v", calls[0])
	}
	if calls[1].Value == nil || calls[1].Gas == nil || !calls[1].ReturnChecked {
		t.Errorf("second call: %+v", calls[1])
	}
	if f.Visibility != ast.VisPublic {
		t.Errorf("visibility")
	}
}

func TestTransitiveWrites(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
contract T {
    uint a; uint b; uint c; bool locked; mapping(address => uint) bal;
    struct Info { uint amount; }
    mapping(uint => Info) infos;
    modifier touch() { c = 1; _; }
    function _inner() internal { b = 2; _leaf(); }
    function _leaf() internal { a += 1; }
    function f() external touch { _inner(); }
    function g(uint id) external { Info storage i = infos[id]; i.amount = 0; }
    function h() external view returns (uint) { return bal[msg.sender] + a; }
}
`)
	f := fnOf(t, m, "T", "f")
	if got := varNames(f.TransitiveStateWrites()); got != "a,b,c" {
		t.Errorf("f writes %q", got)
	}
	if got := varNames(f.StateWrites()); got != "" {
		t.Errorf("f direct writes %q", got)
	}
	if got := varNames(f.TransitiveStateReads()); got != "a" {
		t.Errorf("f reads %q", got)
	}
	if n := len(f.Callees()); n != 2 {
		t.Errorf("callees %v", f.Callees())
	}
	g := fnOf(t, m, "T", "g")
	if got := varNames(g.StateWrites()); got != "infos" {
		t.Errorf("g writes %q", got)
	}
	if w := g.Accesses(); len(w) < 2 || w[len(w)-1].Via == nil {
		t.Errorf("storage alias not recorded")
	}
	h := fnOf(t, m, "T", "h")
	if got := varNames(h.TransitiveStateReads()); got != "a,bal" && got != "bal,a" {
		t.Errorf("h reads %q", got)
	}
}

func wacVars(f *Function) map[string]bool {
	out := map[string]bool{}
	for _, w := range f.WritesAfterCall() {
		out[w.Var.Name] = true
	}
	return out
}

func TestWritesAfterCall(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
contract Bank {
    mapping(address => uint) bal; uint total; uint other; bool flag;
    function bad() external {
        uint amt = bal[msg.sender];
        (bool ok, ) = msg.sender.call{value: amt}("");
        require(ok);
        bal[msg.sender] = 0;
    }
    function good() external {
        uint amt = bal[msg.sender];
        bal[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amt}("");
        require(ok);
    }
    function branch(bool x) external {
        if (x) { payable(msg.sender).transfer(1); } else { total = 0; }
    }
    function branchBad(bool x) external {
        if (x) { payable(msg.sender).transfer(1); }
        total = 0;
    }
    function loop(address[] calldata xs) external {
        for (uint i = 0; i < xs.length; i++) {
            other += 1;
            payable(xs[i]).transfer(1);
        }
    }
    function viaInternal() external { _pay(); _clear(); }
    function _pay() internal { payable(msg.sender).transfer(1); }
    function _clear() internal { flag = true; }
    function inExpr(address t) external { total = Bank(t).get(); }
    function get() external view returns (uint) { return total; }
    function revertPath(bool x) external {
        payable(msg.sender).transfer(1);
        if (x) { revert(); }
        return;
        total = 5;
    }
}
`)
	cases := map[string][]string{
		"bad":         {"bal"},
		"good":        nil,
		"branch":      nil,
		"branchBad":   {"total"},
		"loop":        {"other"},
		"viaInternal": {"flag"},
		"inExpr":      {"total"},
		"revertPath":  nil,
	}
	for name, want := range cases {
		f := fnOf(t, m, "Bank", name)
		got := wacVars(f)
		if len(got) != len(want) {
			t.Errorf("%s: got %v want %v", name, got, want)
			continue
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("%s: missing %s (got %v)", name, w, got)
			}
		}
	}
	for _, w := range fnOf(t, m, "Bank", "viaInternal").WritesAfterCall() {
		if w.CallVia == nil || w.Through == nil || w.Call.Kind != CallTransfer {
			t.Errorf("viaInternal: %+v", w)
		}
	}
}

func TestWritesAfterCallModifierAndCallee(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
contract T {
    uint count; uint x;
    modifier after_() { _; count += 1; }
    function f(address a) external after_ { a.call(""); }
    function g(address a) external { _h(a); }
    function _h(address a) internal { a.call(""); x = 1; }
}
`)
	if got := wacVars(fnOf(t, m, "T", "f")); !got["count"] || len(got) != 1 {
		t.Errorf("f: %v", got)
	}
	if got := wacVars(fnOf(t, m, "T", "g")); !got["x"] || len(got) != 1 {
		t.Errorf("g: %v", got)
	}
}

func TestCFG(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
contract T {
    uint x;
    modifier m1() { x = 1; _; x = 2; }
    function f(uint n) external m1 returns (uint) {
        uint s;
        for (uint i = 0; i < n; i++) {
            if (i == 3) continue;
            if (i == 5) break;
            s += i;
        }
        while (s > 10) { s--; }
        do { s++; } while (s < 3);
        unchecked { s = s * 2; }
        require(s > 0, "zero");
        if (s == 1) { return 1; }
        try this.g() returns (uint v) { s = v; } catch { revert(); }
        return s;
    }
    function g() external pure returns (uint) { return 1; }
}
`)
	f := fnOf(t, m, "T", "f")
	g := f.CFG()
	if g == nil || g.Entry == nil || g.Exit == nil {
		t.Fatal("no cfg")
	}
	var body *ast.Block = f.Def.Body
	forS := body.Stmts[1].(*ast.ForStmt)
	cond := g.NodesOf(forS.Cond)
	if len(cond) != 1 {
		t.Fatalf("for cond nodes %d", len(cond))
	}
	// Loop back edge: the condition reaches itself.
	if !g.Reaches(cond[0], cond[0]) {
		t.Errorf("no back edge")
	}
	sAdd := forS.Body.(*ast.Block).Stmts[2]
	if !g.Path(sAdd, forS.Cond) || !g.Path(forS.Cond, sAdd) {
		t.Errorf("loop body paths")
	}
	// Modifier splicing: x = 1 before body, x = 2 after return.
	md := m.Contract("T").Modifiers[0].Def.Body
	pre, post := md.Stmts[0], md.Stmts[2]
	first := body.Stmts[0]
	if !g.Path(pre, first) || !g.Path(first, post) || g.Path(post, first) {
		t.Errorf("modifier splice paths")
	}
	ret1 := body.Stmts[6].(*ast.IfStmt).Then.(*ast.Block).Stmts[0]
	if !g.Path(ret1, post) {
		t.Errorf("return does not flow to modifier tail")
	}
	if n := g.NodesOf(post); len(n) != 1 || n[0].Modifier == nil {
		t.Errorf("post node modifier")
	}
	// unchecked flag
	un := body.Stmts[4].(*ast.Block).Stmts[0]
	if n := g.NodesOf(un); len(n) != 1 || !n[0].Unchecked {
		t.Errorf("unchecked")
	}
	// require failure edge to Revert.
	req := body.Stmts[5]
	if n := g.NodesOf(req); len(n) != 1 || !g.BlockReaches(n[0].Block, g.Revert) {
		t.Errorf("require revert edge")
	}
	// Everything reachable; revert block reachable, exit reachable.
	for _, n := range g.Nodes() {
		if !g.Reachable(n) {
			t.Errorf("unreachable node %T", n.AST)
		}
	}
	if !g.BlockReaches(g.Entry, g.Exit) || !g.BlockReaches(g.Entry, g.Revert) {
		t.Errorf("exit/revert")
	}
	// Code after return is unreachable.
	m2 := build(t, `contract U { uint x; function f() public { return; x = 1; } }`)
	f2 := fnOf(t, m2, "U", "f")
	dead := f2.Def.Body.Stmts[1]
	if n := f2.CFG().NodesOf(dead); len(n) != 1 || f2.CFG().Reachable(n[0]) {
		t.Errorf("dead code reachable")
	}
}
