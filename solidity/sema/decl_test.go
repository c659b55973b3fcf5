package sema

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/parser"
)

func TestLinearizationDiamond(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
contract A {}
contract B is A {}
contract C is A {}
contract D is B, C {}
`)
	if got := linNames(m.Contract("D")); got != "D,C,B,A" {
		t.Fatalf("D lin = %s", got)
	}
}

func TestLinearizationClassic(t *testing.T) {
	// Solidity docs: contract X {} contract A is X {} contract C is A, X {}
	// is an error ("Linearization of inheritance graph impossible"); X, A
	// works.
	m := build(t, `pragma solidity ^0.8.0;
contract X {}
contract A is X {}
contract Good is X, A {}
contract Bad is A, X {}
`)
	if got := linNames(m.Contract("Good")); got != "Good,A,X" {
		t.Fatalf("Good lin = %s", got)
	}
	if !m.Contract("Bad").InconsistentHierarchy {
		t.Fatalf("Bad not reported inconsistent")
	}
	found := false
	for _, d := range m.Diagnostics {
		if d.File != nil && d.Msg != "" && m.Contract("Bad").Def.Name.Span().Start == d.Span.Start {
			found = true
		}
	}
	if !found {
		t.Fatalf("no diagnostic: %v", m.Diagnostics)
	}
}

func TestLinearizationWikipedia(t *testing.T) {
	// The classic C3 example (Python MRO), translated: K1 is A,B,C ... Z is
	// K1,K2,K3 with Solidity's reversed base order.
	m := build(t, `pragma solidity ^0.8.0;
contract O {}
contract A is O {} contract B is O {} contract C is O {} contract D is O {} contract E is O {}
contract K1 is C, B, A {}
contract K2 is E, B, D {}
contract K3 is A, D {}
contract Z is K3, K2, K1 {}
`)
	if got := linNames(m.Contract("Z")); got != "Z,K1,K2,K3,D,A,B,C,E,O" {
		t.Fatalf("Z lin = %s", got)
	}
}

func TestOverrideAndSuper(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
contract A { uint x; function f() public virtual { x = 1; } function g(uint a) internal virtual {} }
contract B is A { function f() public virtual override { x = 2; super.f(); } }
contract C is A { function f() public virtual override { super.f(); } }
contract D is B, C { function f() public override(B, C) { super.f(); } function h() public { g(1); } }
`)
	d := m.Contract("D")
	if f := d.ResolveFunction("f", 0); f.Contract.Name != "D" {
		t.Fatalf("ResolveFunction f -> %v", f)
	}
	if f := d.ResolveFunction("g", 1); f == nil || f.Contract.Name != "A" {
		t.Fatalf("ResolveFunction g -> %v", f)
	}
	if f := d.ResolveFunction("g", 2); f != nil {
		t.Fatalf("g/2 resolved")
	}
	// super chain in D's context: D -> C -> B -> A.
	c := m.Contract("C")
	if s := d.ResolveSuper(c, "f", 0); s == nil || s.Contract.Name != "B" {
		t.Fatalf("super from C in D = %v", s)
	}
	if s := d.ResolveSuper(d, "f", 0); s.Contract.Name != "C" {
		t.Fatalf("super from D = %v", s)
	}
	df := fnOf(t, m, "D", "f")
	if cs := df.Calls(); len(cs) != 1 || !cs[0].Super || cs[0].Callee.Contract.Name != "C" {
		t.Fatalf("D.f calls: %+v", cs)
	}
	// Transitive writes through super: C.f -> (declaring context) A.f.
	if got := varNames(df.TransitiveStateWrites()); got != "x" {
		t.Fatalf("D.f writes %q", got)
	}
	if n := len(d.AllFunctions()); n != 3 {
		t.Fatalf("AllFunctions = %d", n)
	}
}

func TestOldConstructor(t *testing.T) {
	m := build(t, `pragma solidity ^0.4.24;
contract Old { address owner; function Old() { owner = msg.sender; } function() payable {} function get() constant returns (uint) { return 1; } }
`, `pragma solidity ^0.5.0;
contract New { address owner; function New() public { owner = msg.sender; } }
`, `contract NoPragma { function NoPragma() {} }`)
	o := fnOf(t, m, "Old", "Old")
	if !o.IsOldConstructor || o.Kind != ast.FuncConstructor || o.IsPubliclyReachable() {
		t.Fatalf("Old: %+v", o)
	}
	if m.Contract("Old").Constructor() != o {
		t.Fatalf("Constructor()")
	}
	fb := m.Contract("Old").Fallback()
	if fb == nil || !fb.OldFallback || !fb.IsPayable() {
		t.Fatalf("fallback %+v", fb)
	}
	if g := fnOf(t, m, "Old", "get"); g.Visibility != ast.VisPublic || !g.IsView() {
		t.Fatalf("get: vis %v mut %v", g.Visibility, g.Mutability)
	}
	n := fnOf(t, m, "New", "New")
	if n.IsOldConstructor || !n.NamedLikeContract || n.Kind != ast.FuncNormal || !n.IsPubliclyReachable() {
		t.Fatalf("New: %+v", n)
	}
	if np := fnOf(t, m, "NoPragma", "NoPragma"); !np.IsOldConstructor {
		t.Fatalf("NoPragma not old constructor")
	}
}

func TestDeclarationsAndImports(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.4;
import "./b.sol";
import {Lib as L2} from "./b.sol";
uint constant MAX = 10;
error Unauthorized(address who);
type Price is uint128;
struct Pos { uint a; IToken t; }
function freeFn(uint a) pure returns (uint) { return a + MAX; }
contract Vault is Base {
    using L2 for uint;
    IToken public token;
    Pos p;
    function f(uint a) external returns (uint) { token.transfer(msg.sender, a); return a.twice() + freeFn(a) + p.t.balanceOf(address(this)); }
}
`, `pragma solidity ^0.8.4;
interface IToken { function transfer(address, uint) external returns (bool); function balanceOf(address) external view returns (uint); }
library Lib { function twice(uint x) internal pure returns (uint) { return 2 * x; } }
abstract contract Base { uint internal total; }
`)
	a := m.Files[0]
	if len(a.Constants) != 1 || len(a.Errors) != 1 || len(a.UDVTs) != 1 || len(a.Structs) != 1 || len(a.Functions) != 1 {
		t.Fatalf("file decls: %+v", a)
	}
	if a.Imports[0].File != m.Files[1] {
		t.Fatalf("import not resolved")
	}
	v := m.Contract("Vault")
	if len(v.Bases) != 1 || v.Bases[0].Name != "Base" || !m.Contract("Base").Abstract {
		t.Fatalf("bases %v", v.Bases)
	}
	if v.StateVar("total") == nil || len(v.AllStateVars()) != 3 {
		t.Fatalf("inherited state vars")
	}
	if tt := v.StateVar("token").Type; !tt.IsContract() || tt.Contract.Name != "IToken" || !tt.Contract.IsInterface() {
		t.Fatalf("token type %v", tt)
	}
	f := fnOf(t, m, "Vault", "f")
	kinds := map[CallKind]int{}
	for _, cs := range f.Calls() {
		kinds[cs.Kind]++
	}
	if kinds[CallHighLevel] != 2 || kinds[CallLibrary] != 1 || kinds[CallInternal] != 1 {
		for _, cs := range f.Calls() {
			t.Logf("%+v", cs)
		}
		t.Fatalf("call kinds %v", kinds)
	}
	for _, cs := range f.Calls() {
		if cs.Kind == CallLibrary && (cs.Callee == nil || cs.Callee.Name != "twice") {
			t.Fatalf("library callee %v", cs.Callee)
		}
		if cs.Kind == CallInternal && (cs.Callee == nil || cs.Callee.Contract != nil) {
			t.Fatalf("free callee %v", cs.Callee)
		}
		if cs.Method == "balanceOf" && (cs.TargetType.Contract == nil || cs.TargetType.Contract.Name != "IToken") {
			t.Fatalf("struct member type %v", cs.TargetType)
		}
	}
}

func TestPragma(t *testing.T) {
	cases := []struct {
		raw      string
		min      string
		below08  bool
		below05  bool
		allows07 bool
	}{
		{"^0.4.24", "0.4.24", true, true, false},
		{">=0.6.0 <0.8.0", "0.6.0", true, false, true},
		{"0.8.19", "0.8.19", false, false, false},
		{"^0.8.0", "0.8.0", false, false, false},
		{">=0.4.22 <0.9.0", "0.4.22", true, true, true},
		{"^0.7.0 || ^0.8.0", "0.7.0", true, false, true},
		{"~0.5.2", "0.5.2", true, false, false},
		{">0.7.6", "0.7.7", true, false, false},
	}
	for _, c := range cases {
		v := ParseVersionConstraint(c.raw)
		if !v.Known || v.MinVersion().String() != c.min || v.AllowsBelow(0, 8, 0) != c.below08 || v.AllowsBelow(0, 5, 0) != c.below05 || v.Allows(Version{0, 7, 6}) != c.allows07 {
			t.Errorf("%s: known=%v min=%v below08=%v below05=%v allows076=%v", c.raw, v.Known, v.MinVersion(), v.AllowsBelow(0, 8, 0), v.AllowsBelow(0, 5, 0), v.Allows(Version{0, 7, 6}))
		}
	}
	if u := ParseVersionConstraint(""); u.Known || !u.AllowsBelow(0, 8, 0) {
		t.Errorf("unknown constraint")
	}
	m := build(t, `pragma solidity ^0.6.0;
library SafeMath { function add(uint a, uint b) internal pure returns (uint) { return a + b; } }
contract T { using SafeMath for uint256; uint x; function f(uint a) public { x = x.add(a); } }
`)
	if !m.Contract("T").UsesSafeMath() || m.Files[0].SolidityAtLeast08() {
		t.Fatalf("SafeMath / version")
	}
}

func TestBuildContextCancelled(t *testing.T) {
	unit, _ := parser.ParseSource("A.sol", []byte("contract A { uint x; function f() public { x = 1; } }"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m, err := BuildContext(ctx, []*ast.SourceUnit{unit}, nil, Options{})
	if !errors.Is(err, context.Canceled) || m == nil || len(m.Contracts) != 0 {
		t.Fatalf("cancelled build: err %v, model %v", err, m)
	}
	m, err = BuildContext(context.Background(), []*ast.SourceUnit{unit}, nil, Options{})
	if err != nil || len(m.Contracts) != 1 || len(m.Contracts[0].Functions) != 1 {
		t.Fatalf("build: err %v, model %+v", err, m)
	}
}

func TestDerived(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
contract A {}
contract B is A {}
contract C is A {}
contract D is B, C {}
contract E {}
`)
	for name, want := range map[string]string{"A": "A,B,C,D", "B": "B,D", "C": "C,D", "D": "D", "E": "E"} {
		var got []string
		for _, c := range m.Contract(name).Derived {
			got = append(got, c.Name)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s.Derived = %v, want %s", name, got, want)
		}
	}
}
