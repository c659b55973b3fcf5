package sema

import (
	"testing"

	"github.com/aegis-defi/aegis/solidity/ast"
)

func TestTaint(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
interface IOracle { function price() external view returns (uint); }
contract T {
    address fixedTarget;
    IOracle oracle;
    function f(address target, bytes calldata data, uint amt) external payable {
        address t2 = target;
        (address a, uint b) = (t2, 1);
        a.call(data);
        fixedTarget.call("");
        address c = address(0x1234567890123456789012345678901234567890);
        c.call("");
        uint p = oracle.price();
        uint q = p * 2 + amt;
        address s = msg.sender;
        payable(s).transfer(q);
        _send(target, msg.value);
        (address d, ) = abi.decode(data, (address, uint));
        d.call("");
        uint ts = block.timestamp;
        ts;
    }
    function _send(address to, uint v) internal { to.call{value: v}(""); }
}
`)
	f := fnOf(t, m, "T", "f")
	var calls []*CallSite
	for _, cs := range f.Calls() {
		if cs.Kind == CallLowLevel || cs.Kind == CallTransfer {
			calls = append(calls, cs)
		}
	}
	if len(calls) != 5 {
		t.Fatalf("calls %d", len(calls))
	}
	target := f.Params[0]
	if ts := f.Taint(calls[0].Target); !ts.Has(SrcParam) || !ts.HasParam(target) {
		t.Errorf("param -> call target: %+v", ts)
	}
	if ts := f.Taint(calls[1].Target); !ts.Empty() {
		t.Errorf("state var target tainted: %+v", ts)
	}
	if ts := f.Taint(calls[2].Target); !ts.Empty() {
		t.Errorf("constant tainted: %+v", ts)
	}
	if ts := f.Taint(calls[3].Target); !ts.Has(SrcSender) || ts.Has(SrcParam) {
		t.Errorf("msg.sender flow: %+v", ts)
	}
	if ts := f.Taint(calls[3].Value); !ts.Has(SrcExternalCall) || !ts.HasParam(f.Params[2]) {
		t.Errorf("external call result flow: %+v", ts)
	}
	if ts := f.Taint(calls[4].Target); !ts.Has(SrcParam) || !ts.HasParam(f.Params[1]) {
		t.Errorf("abi.decode flow: %+v", ts)
	}
	// Internal call argument -> parameter.
	send := fnOf(t, m, "T", "_send")
	var inner *CallSite
	for _, cs := range send.Calls() {
		inner = cs
	}
	if ts := send.Taint(inner.Target); !ts.HasParam(target) {
		t.Errorf("internal param flow: %+v", ts)
	}
	if ts := send.Taint(inner.Value); !ts.Has(SrcValue) {
		t.Errorf("msg.value flow: %+v", ts)
	}
	// block.timestamp
	last := f.Def.Body.Stmts[len(f.Def.Body.Stmts)-1].(*ast.ExprStmt).X
	if ts := f.Taint(last); !ts.Has(SrcBlock) || ts.UserControlled() {
		t.Errorf("block flow: %+v", ts)
	}
}

func TestTypeOf(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
interface IERC20 { function balanceOf(address) external view returns (uint); }
contract T {
    struct S { uint8 small; IERC20 tok; }
    mapping(address => S) ss;
    address payable pay;
    IERC20[] toks;
    function f(uint8 x, address a) external view returns (uint) {
        S memory s = ss[a];
        return s.small + x + toks[0].balanceOf(pay) + IERC20(a).balanceOf(msg.sender);
    }
}
`)
	f := fnOf(t, m, "T", "f")
	types := map[string]string{}
	ast.Inspect(f.Def.Body, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			src := f.File.Source.Slice(e.Span())
			if _, seen := types[src]; !seen {
				types[src] = m.TypeOf(e).String()
			}
		}
		return true
	})
	want := map[string]string{
		"x":          "uint8",
		"s.small":    "uint8",
		"ss[a]":      "S",
		"pay":        "address payable",
		"toks[0]":    "IERC20",
		"IERC20(a)":  "IERC20",
		"msg.sender": "address payable",
		"toks":       "IERC20[]",
		"a":          "address",
	}
	for src, w := range want {
		if types[src] != w {
			t.Errorf("TypeOf(%s) = %q want %q", src, types[src], w)
		}
	}
}
