package parser

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// nodeKind returns the type name of n, e.g. "IfStmt".
func nodeKind(n ast.Node) string { return reflect.TypeOf(n).Elem().Name() }

// checkSpans verifies that every node's range lies within the file and
// within its parent's range (documentation comments excepted).
func checkSpans(t testing.TB, u *ast.SourceUnit) {
	t.Helper()
	size := source.Pos(u.File.Size())
	var stack []ast.Node
	ast.Inspect(u, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		s := n.Span()
		if s.Start < 0 || s.End < s.Start || s.End > size {
			t.Fatalf("%s has invalid span %v (file size %d)", nodeKind(n), s, size)
		}
		switch n.(type) {
		case *ast.Doc, *ast.Comment:
			// Documentation precedes its declaration.
		default:
			if len(stack) > 0 {
				ps := stack[len(stack)-1].Span()
				if s.Start < ps.Start || s.End > ps.End {
					t.Fatalf("%s %v %q outside parent %s %v %q", nodeKind(n), s, u.File.Slice(s),
						nodeKind(stack[len(stack)-1]), ps, u.File.Slice(ps))
				}
			}
		}
		stack = append(stack, n)
		return true
	})
}

func parse(t *testing.T, src string) (*ast.SourceUnit, []source.Error) {
	t.Helper()
	u, errs := ParseSource("test.sol", []byte(src))
	checkSpans(t, u)
	return u, errs
}

func mustParse(t *testing.T, src string) *ast.SourceUnit {
	t.Helper()
	u, errs := parse(t, src)
	for _, e := range errs {
		t.Errorf("unexpected error: %v\nsource:\n%s", e, src)
	}
	return u
}

// find returns the texts covered by all nodes of the given kind.
func find(u *ast.SourceUnit, kind string) []string {
	var out []string
	ast.Inspect(u, func(n ast.Node) bool {
		if n != nil && nodeKind(n) == kind {
			out = append(out, u.File.Slice(n.Span()))
		}
		return true
	})
	return out
}

// first returns the first node of type T in u.
func first[T ast.Node](u *ast.SourceUnit) T {
	var res T
	found := false
	ast.Inspect(u, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		if x, ok := n.(T); ok {
			res, found = x, true
			return false
		}
		return true
	})
	return res
}

func inFunc(body string) string {
	return "contract C {\n  function f() public {\n    " + body + "\n  }\n}\n"
}

type rangeCase struct {
	src  string // complete source, or a function body if it lacks "contract"/"pragma"/...
	kind string // node kind to look for
	want string // text of the first node of kind (must match exactly)
}

func wrap(src string) string {
	for _, p := range []string{"pragma", "import", "contract", "interface", "library", "abstract", "function", "struct", "enum", "error", "event", "using", "type", "//"} {
		if strings.HasPrefix(src, p) {
			return src
		}
	}
	return inFunc(src)
}

func runRangeCases(t *testing.T, cases []rangeCase) {
	t.Helper()
	for i, c := range cases {
		t.Run(fmt.Sprintf("%d_%s", i, c.kind), func(t *testing.T) {
			src := wrap(c.src)
			u := mustParse(t, src)
			got := find(u, c.kind)
			if len(got) == 0 {
				t.Fatalf("no %s in %q", c.kind, src)
			}
			if got[0] != c.want {
				t.Errorf("%s: got %q, want %q (all: %q)", c.kind, got[0], c.want, got)
			}
		})
	}
}

func TestDirectives(t *testing.T) {
	runRangeCases(t, []rangeCase{
		{`pragma solidity ^0.8.0;`, "PragmaDirective", `pragma solidity ^0.8.0;`},
		{`pragma solidity >=0.4.22 <0.9.0;`, "PragmaDirective", `pragma solidity >=0.4.22 <0.9.0;`},
		{`pragma experimental ABIEncoderV2;`, "PragmaDirective", `pragma experimental ABIEncoderV2;`},
		{`pragma abicoder v2;`, "PragmaDirective", `pragma abicoder v2;`},
		{`import "./A.sol";`, "ImportDirective", `import "./A.sol";`},
		{`import './A.sol' as A;`, "ImportDirective", `import './A.sol' as A;`},
		{`import * as A from "./A.sol";`, "ImportDirective", `import * as A from "./A.sol";`},
		{`import {B as C, A} from "./A.sol";`, "ImportSymbol", `B as C`},
		{`import {A} from "./A.sol";`, "Literal", `"./A.sol"`},
	})
	u := mustParse(t, `pragma solidity ^0.8.0; import {A, B as C} from "x.sol"; import * as D from "y.sol";`)
	if v := first[*ast.PragmaDirective](u); v.Name.Name != "solidity" || v.Value != "^0.8.0" {
		t.Errorf("pragma = %q %q", v.Name.Name, v.Value)
	}
	imp := u.Decls[1].(*ast.ImportDirective)
	if len(imp.Symbols) != 2 || imp.Symbols[1].Alias.Name != "C" || imp.Path.Value != `"x.sol"` {
		t.Errorf("bad import %+v", imp)
	}
	if imp := u.Decls[2].(*ast.ImportDirective); !imp.Star || imp.Alias.Name != "D" {
		t.Errorf("bad star import %+v", imp)
	}
}

func TestContracts(t *testing.T) {
	runRangeCases(t, []rangeCase{
		{`contract A {}`, "ContractDefinition", `contract A {}`},
		{`abstract contract A is B, C(1, 2) { }`, "ContractDefinition", `abstract contract A is B, C(1, 2) { }`},
		{`contract A is B, C(1, 2) { }`, "InheritanceSpecifier", `B`},
		{`contract A is x.B, C(1, 2) { }`, "IdentPath", `x.B`},
		{`interface I { function f() external; }`, "FunctionDefinition", `function f() external;`},
		{`library L { }`, "ContractDefinition", `library L { }`},
		{`contract A layout at 0x1234 { }`, "Literal", `0x1234`},
		{`contract A { using SafeMath for uint256; }`, "UsingForDirective", `using SafeMath for uint256;`},
		{`contract A { using L for *; }`, "UsingForDirective", `using L for *;`},
		{`using {add as +, sub} for Fixed global;`, "UsingForDirective", `using {add as +, sub} for Fixed global;`},
		{`using {add as +, sub} for Fixed global;`, "UsingFunc", `add as +`},
		{`contract A { struct S { uint a; mapping(uint => S) m; } }`, "StructDefinition", `struct S { uint a; mapping(uint => S) m; }`},
		{`contract A { struct S { uint a; mapping(uint => S) m; } }`, "VariableDeclaration", `uint a`},
		{`enum E { A, B, C }`, "EnumDefinition", `enum E { A, B, C }`},
		{`contract A { event E(address indexed a, uint b) anonymous; }`, "EventDefinition", `event E(address indexed a, uint b) anonymous;`},
		{`contract A { event E(address indexed a, uint b) anonymous; }`, "VariableDeclaration", `address indexed a`},
		{`error Unauthorized(address who);`, "ErrorDefinition", `error Unauthorized(address who);`},
		{`type Price is uint128;`, "UserDefinedValueTypeDefinition", `type Price is uint128;`},
		{`contract A { type P is uint; }`, "UserDefinedValueTypeDefinition", `type P is uint;`},
		{"// c\nuint constant X = 10 ** 18;", "VariableDeclaration", `uint constant X = 10 ** 18`},
		{`function free(uint a) pure returns (uint) { return a; }`, "FunctionDefinition", `function free(uint a) pure returns (uint) { return a; }`},
		{`contract A { uint256 public constant X = 1; }`, "VariableDeclaration", `uint256 public constant X = 1`},
		{`contract A { address immutable owner; }`, "VariableDeclaration", `address immutable owner`},
		{`contract A { uint transient lock; }`, "VariableDeclaration", `uint transient lock`},
		{`contract A { uint public override(B, C) x; }`, "OverrideSpecifier", `override(B, C)`},
		{`contract A { function() internal pure returns (uint) fn; }`, "VariableDeclaration", `function() internal pure returns (uint) fn`},
		{`contract A { function() internal pure returns (uint) fn; }`, "FunctionTypeName", `function() internal pure returns (uint)`},
		{`contract A { mapping(address user => mapping(address => uint) bal) allowance; }`, "Mapping", `mapping(address user => mapping(address => uint) bal)`},
		{`contract A { address payable[] public xs; }`, "ArrayTypeName", `address payable[]`},
		{`contract A { address payable[] public xs; }`, "ElementaryTypeName", `address payable`},
		{`contract A { a.B.C[2][] x; }`, "ArrayTypeName", `a.B.C[2][]`},
		{`contract A { a.B.C[2][] x; }`, "UserDefinedTypeName", `a.B.C`},
		{`contract A { uint[N] x; }`, "ArrayTypeName", `uint[N]`},
	})
	u := mustParse(t, `/// @title A
/// @notice B
abstract contract A is B(1) {
    /** @dev doc */
    uint256 private immutable x;
    uint transient t;
    function f() public virtual override(B) returns (uint) {}
}
interface I {}
library L {}`)
	c := u.Decls[0].(*ast.ContractDefinition)
	if !c.Abstract || c.Kind != ast.KindContract || c.Name.Name != "A" || len(c.Bases) != 1 || !c.Bases[0].HasArgs {
		t.Errorf("bad contract %+v", c)
	}
	if got := c.Doc.Text(); got != "/// @title A\n/// @notice B" {
		t.Errorf("doc = %q", got)
	}
	v := c.Body[0].(*ast.VariableDeclaration)
	if !v.Immutable || v.Visibility != ast.VisPrivate || !v.StateVar || v.Doc.Text() != "/** @dev doc */" {
		t.Errorf("bad var %+v", v)
	}
	if !c.Body[1].(*ast.VariableDeclaration).Transient {
		t.Error("transient not set")
	}
	f := c.Body[2].(*ast.FunctionDefinition)
	if !f.Virtual || f.Override == nil || len(f.Override.Bases) != 1 || len(f.Returns) != 1 || f.Visibility != ast.VisPublic {
		t.Errorf("bad function %+v", f)
	}
	if u.Decls[1].(*ast.ContractDefinition).Kind != ast.KindInterface || u.Decls[2].(*ast.ContractDefinition).Kind != ast.KindLibrary {
		t.Error("bad kinds")
	}
	if len(u.Comments) != 3 {
		t.Errorf("comments = %d", len(u.Comments))
	}
}

func TestFunctions(t *testing.T) {
	runRangeCases(t, []rangeCase{
		{`contract A { constructor(uint a) public payable Base(a) { } }`, "FunctionDefinition", `constructor(uint a) public payable Base(a) { }`},
		{`contract A { constructor(uint a) public payable Base(a) { } }`, "ModifierInvocation", `Base(a)`},
		{`contract A { fallback() external payable { } }`, "FunctionDefinition", `fallback() external payable { }`},
		{`contract A { fallback(bytes calldata d) external returns (bytes memory) { } }`, "VariableDeclaration", `bytes calldata d`},
		{`contract A { receive() external payable { } }`, "FunctionDefinition", `receive() external payable { }`},
		{`contract A { function() payable { } }`, "FunctionDefinition", `function() payable { }`},
		{`contract A { function() external { } }`, "FunctionDefinition", `function() external { }`},
		{`contract A { function A() { } }`, "FunctionDefinition", `function A() { }`},
		{`contract A { function f() constant returns (uint) { } }`, "FunctionDefinition", `function f() constant returns (uint) { }`},
		{`contract A { function f() external view virtual returns (uint a, bool) ; }`, "FunctionDefinition", `function f() external view virtual returns (uint a, bool) ;`},
		{`contract A { function f() onlyOwner nonReentrant whenNot(1) {} }`, "ModifierInvocation", `onlyOwner`},
		{`contract A { modifier onlyOwner() { require(msg.sender == owner); _; } }`, "ModifierDefinition", `modifier onlyOwner() { require(msg.sender == owner); _; }`},
		{`contract A { modifier m { _; } }`, "PlaceholderStmt", `_;`},
		{`contract A { modifier m() virtual; }`, "ModifierDefinition", `modifier m() virtual;`},
		{`contract A { function f(uint[] memory a, S storage s) internal {} }`, "VariableDeclaration", `uint[] memory a`},
		{`contract A { function f(function (uint) external returns (uint) cb) {} }`, "FunctionTypeName", `function (uint) external returns (uint)`},
	})
	u := mustParse(t, `contract A {
    function() payable {}
    function A() {}
    function g() constant returns (uint) {}
    constructor() {}
    fallback() external {}
    receive() external payable {}
    function h() external;
}`)
	c := u.Decls[0].(*ast.ContractDefinition)
	fs := make([]*ast.FunctionDefinition, len(c.Body))
	for i, d := range c.Body {
		fs[i] = d.(*ast.FunctionDefinition)
	}
	if fs[0].Kind != ast.FuncFallback || !fs[0].OldFallback || fs[0].Mutability != ast.Payable {
		t.Errorf("old fallback: %+v", fs[0])
	}
	if fs[1].Kind != ast.FuncNormal || fs[1].Name.Name != "A" {
		t.Errorf("old constructor: %+v", fs[1])
	}
	if fs[2].Mutability != ast.ConstantFn {
		t.Errorf("constant: %v", fs[2].Mutability)
	}
	if fs[3].Kind != ast.FuncConstructor || fs[4].Kind != ast.FuncFallback || fs[5].Kind != ast.FuncReceive {
		t.Error("bad special function kinds")
	}
	if fs[6].Body != nil || fs[3].Body == nil {
		t.Error("body presence wrong")
	}
}

func TestStatements(t *testing.T) {
	runRangeCases(t, []rangeCase{
		{`{ x = 1; }`, "Block", "{\n    { x = 1; }\n  }"},
		{`unchecked { i++; }`, "Block", "{\n    unchecked { i++; }\n  }"},
		{`if (a) b(); else { c(); }`, "IfStmt", `if (a) b(); else { c(); }`},
		{`if (a) if (b) c(); else d();`, "IfStmt", `if (a) if (b) c(); else d();`},
		{`for (uint i = 0; i < n; i++) { s += i; }`, "ForStmt", `for (uint i = 0; i < n; i++) { s += i; }`},
		{`for (uint i = 0; i < n; i++) { s += i; }`, "VarDeclStmt", `uint i = 0;`},
		{`for (;;) {}`, "ForStmt", `for (;;) {}`},
		{`for (i = 0; ; ) {}`, "ExprStmt", `i = 0;`},
		{`while (x < 10) x++;`, "WhileStmt", `while (x < 10) x++;`},
		{`do { x--; } while (x > 0);`, "DoWhileStmt", `do { x--; } while (x > 0);`},
		{`return;`, "ReturnStmt", `return;`},
		{`return (a, b);`, "ReturnStmt", `return (a, b);`},
		{`emit Transfer(a, b, 1);`, "EmitStmt", `emit Transfer(a, b, 1);`},
		{`emit I.Transfer({from: a, to: b});`, "CallExpr", `I.Transfer({from: a, to: b})`},
		{`Transfer(a, b, 1);`, "ExprStmt", `Transfer(a, b, 1);`},
		{`revert Unauthorized(msg.sender);`, "RevertStmt", `revert Unauthorized(msg.sender);`},
		{`revert Errors.Unauthorized();`, "RevertStmt", `revert Errors.Unauthorized();`},
		{`revert("boom");`, "ExprStmt", `revert("boom");`},
		{`revert();`, "CallExpr", `revert()`},
		{`throw;`, "ThrowStmt", `throw;`},
		{`while (true) { break; }`, "BreakStmt", `break;`},
		{`while (true) { continue; }`, "ContinueStmt", `continue;`},
		{`var x = 1;`, "VarDeclStmt", `var x = 1;`},
		{`var (a, , b) = f();`, "VarDeclStmt", `var (a, , b) = f();`},
		{`uint a = 1;`, "VarDeclStmt", `uint a = 1;`},
		{`uint a;`, "VariableDeclaration", `uint a`},
		{`address payable a = payable(msg.sender);`, "VarDeclStmt", `address payable a = payable(msg.sender);`},
		{`S storage s = m[k];`, "VariableDeclaration", `S storage s`},
		{`bytes memory b = new bytes(32);`, "NewExpr", `new bytes`},
		{`a.B[] memory xs;`, "ArrayTypeName", `a.B[]`},
		{`uint[2][] memory xs;`, "ArrayTypeName", `uint[2][]`},
		{`a.b[1] = 2;`, "AssignExpr", `a.b[1] = 2`},
		{`a[1].b(2);`, "CallExpr", `a[1].b(2)`},
		{`mapping(uint => uint) storage m = ms[0];`, "Mapping", `mapping(uint => uint)`},
		{`(uint a, , bool b) = f();`, "VarDeclStmt", `(uint a, , bool b) = f();`},
		{`(uint a, , bool b) = f();`, "VariableDeclaration", `uint a`},
		{`(, bytes memory data) = t.call("");`, "VariableDeclaration", `bytes memory data`},
		{`(a, , b) = f();`, "TupleExpr", `(a, , b)`},
		{`(a, b) = (b, a);`, "AssignExpr", `(a, b) = (b, a)`},
		{`(x).y();`, "CallExpr", `(x).y()`},
		{`(S memory s, uint c) = abi.decode(d, (S, uint));`, "VarDeclStmt", `(S memory s, uint c) = abi.decode(d, (S, uint));`},
		{`try t.f{value: 1}(x) returns (uint v, bool) { a = v; } catch Error(string memory r) { } catch Panic(uint c) { } catch (bytes memory lr) { }`, "TryStmt",
			`try t.f{value: 1}(x) returns (uint v, bool) { a = v; } catch Error(string memory r) { } catch Panic(uint c) { } catch (bytes memory lr) { }`},
		{`try t.f() { } catch { }`, "CatchClause", `catch { }`},
		{`try t.f() { } catch Panic(uint) { }`, "CatchClause", `catch Panic(uint) { }`},
		{`try new C{salt: s}(1) returns (C c) { } catch (bytes memory) { }`, "NewExpr", `new C`},
		{`assembly { }`, "AssemblyStmt", `assembly { }`},
		{`assembly "evmasm" { }`, "AssemblyStmt", `assembly "evmasm" { }`},
		{`assembly ("memory-safe") { mstore(0, 1) }`, "AssemblyStmt", `assembly ("memory-safe") { mstore(0, 1) }`},
		{`x; y; z;`, "ExprStmt", `x;`},
	})
	u := mustParse(t, inFunc(`var (a, , b) = f(); (uint x, , ) = g(); assembly ("memory-safe") {} unchecked { }`))
	vs := first[*ast.VarDeclStmt](u)
	if !vs.Var || !vs.Tuple || len(vs.Decls) != 3 || vs.Decls[1] != nil || vs.Decls[2].Name.Name != "b" {
		t.Errorf("bad var tuple %+v", vs)
	}
	body := first[*ast.FunctionDefinition](u).Body
	td := body.Stmts[1].(*ast.VarDeclStmt)
	if !td.Tuple || len(td.Decls) != 3 || td.Decls[0] == nil || td.Decls[1] != nil || td.Decls[2] != nil {
		t.Errorf("bad tuple decl %+v", td)
	}
	if !body.Stmts[2].(*ast.AssemblyStmt).MemorySafe() {
		t.Error("memory-safe flag missing")
	}
	if !body.Stmts[3].(*ast.Block).Unchecked {
		t.Error("unchecked flag missing")
	}
	ts := first[*ast.TryStmt](mustParse(t, inFunc(`try t.f() returns (uint v) { } catch Error(string memory r) { } catch Panic(uint c) { } catch (bytes memory) { }`)))
	if len(ts.Returns) != 1 || len(ts.Catches) != 3 || ts.Catches[0].Name.Name != "Error" || ts.Catches[1].Name.Name != "Panic" || ts.Catches[2].Name != nil {
		t.Errorf("bad try %+v", ts)
	}
}

func TestExpressions(t *testing.T) {
	runRangeCases(t, []rangeCase{
		{`x = a + b * c;`, "BinaryExpr", `a + b * c`},
		{`x = a * b + c;`, "BinaryExpr", `a * b + c`},
		{`x = 2 ** 3 ** 2;`, "BinaryExpr", `2 ** 3 ** 2`},
		{`x = a || b && c;`, "BinaryExpr", `a || b && c`},
		{`x = a == b | c;`, "BinaryExpr", `a == b | c`},
		{`x = a << 2 + 1;`, "BinaryExpr", `a << 2 + 1`},
		{`x = !a;`, "UnaryExpr", `!a`},
		{`x = -a ** 2;`, "UnaryExpr", `-a`},
		{`x = ~a;`, "UnaryExpr", `~a`},
		{`delete a[i];`, "UnaryExpr", `delete a[i]`},
		{`i++;`, "UnaryExpr", `i++`},
		{`--i;`, "UnaryExpr", `--i`},
		{`a[i]--;`, "UnaryExpr", `a[i]--`},
		{`x = c ? a : b;`, "CondExpr", `c ? a : b`},
		{`x = c ? a : d ? e : f;`, "CondExpr", `c ? a : d ? e : f`},
		{`x += 1;`, "AssignExpr", `x += 1`},
		{`x >>= 1;`, "AssignExpr", `x >>= 1`},
		{`x = y = z;`, "AssignExpr", `x = y = z`},
		{`f(1, 2);`, "CallExpr", `f(1, 2)`},
		{`f({a: 1, b: 2});`, "CallExpr", `f({a: 1, b: 2})`},
		{`a.call{value: v, gas: g}("");`, "CallOptions", `a.call{value: v, gas: g}`},
		{`a.call.value(v)("");`, "CallExpr", `a.call.value(v)("")`},
		{`x = new C{value: 1}(a);`, "CallOptions", `new C{value: 1}`},
		{`x = new uint[](n);`, "CallExpr", `new uint[](n)`},
		{`x = a[1:2];`, "IndexRangeExpr", `a[1:2]`},
		{`x = a[:2];`, "IndexRangeExpr", `a[:2]`},
		{`x = msg.data[4:];`, "IndexRangeExpr", `msg.data[4:]`},
		{`x = a.b.c;`, "MemberExpr", `a.b.c`},
		{`x = f.selector;`, "MemberExpr", `f.selector`},
		{`x = f.address;`, "MemberExpr", `f.address`},
		{`x = [1, 2, 3];`, "TupleExpr", `[1, 2, 3]`},
		{`x = (1);`, "TupleExpr", `(1)`},
		{`x = address(this);`, "ElementaryTypeExpr", `address`},
		{`x = address(this);`, "CallExpr", `address(this)`},
		{`x = payable(msg.sender);`, "CallExpr", `payable(msg.sender)`},
		{`x = uint256(-1);`, "CallExpr", `uint256(-1)`},
		{`x = type(uint256).max;`, "MemberExpr", `type(uint256).max`},
		{`x = type(I).interfaceId;`, "CallExpr", `type(I)`},
		{`x = 1 ether;`, "Literal", `1 ether`},
		{`x = 2 years + 1 weeks;`, "Literal", `2 years`},
		{`x = 1e18;`, "Literal", `1e18`},
		{`x = 1_000_000;`, "Literal", `1_000_000`},
		{`x = 0xdeadBEEF;`, "Literal", `0xdeadBEEF`},
		{`x = .5 ether;`, "Literal", `.5 ether`},
		{`x = 2.5e-3;`, "Literal", `2.5e-3`},
		{`x = "a" "b";`, "Literal", `"a" "b"`},
		{`x = 'single\'quote';`, "Literal", `'single\'quote'`},
		{`x = hex"00ff";`, "Literal", `hex"00ff"`},
		{`x = hex'00_ff';`, "Literal", `hex'00_ff'`},
		{`x = unicode"héllo 😃";`, "Literal", `unicode"héllo 😃"`},
		{`x = true;`, "Literal", `true`},
		{`x = sha3(a);`, "CallExpr", `sha3(a)`},
		{`suicide(owner);`, "CallExpr", `suicide(owner)`},
		{`x = abi.decode(d, (uint, address[]));`, "IndexExpr", `address[]`},
		{`x = abi.decode(d, (uint, address[]));`, "TupleExpr", `(uint, address[])`},
		{`x = bytes.concat(a, b);`, "MemberExpr", `bytes.concat`},
		{`x = a.length - 1;`, "BinaryExpr", `a.length - 1`},
	})
	// Precedence and associativity.
	u := mustParse(t, inFunc(`x = 2 ** 3 ** 2; y = a - b - c; z = a + b * c == d && e || f;`))
	var bins []*ast.BinaryExpr
	ast.Inspect(u, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok {
			bins = append(bins, b)
		}
		return true
	})
	if y, ok := bins[0].Y.(*ast.BinaryExpr); !ok || u.File.Slice(y.Span()) != "3 ** 2" {
		t.Errorf("** must be right-associative")
	}
	if x, ok := bins[2].X.(*ast.BinaryExpr); !ok || u.File.Slice(x.Span()) != "a - b" {
		t.Errorf("- must be left-associative")
	}
	if bins[4].Op.String() != "||" {
		t.Errorf("top operator = %v, want ||", bins[4].Op)
	}
	c := first[*ast.CallExpr](mustParse(t, inFunc(`f({a: 1, b: 2});`)))
	if len(c.Names) != 2 || c.Names[1].Name != "b" {
		t.Errorf("named args: %+v", c)
	}
	l := first[*ast.Literal](mustParse(t, inFunc(`x = 3 days;`)))
	if l.Unit != "days" || l.Value != "3" || l.Kind != ast.LitNumber {
		t.Errorf("unit literal: %+v", l)
	}
}

func TestYul(t *testing.T) {
	runRangeCases(t, []rangeCase{
		{`assembly { let x := 1 }`, "YulVarDecl", `let x := 1`},
		{`assembly { let x, y := f() }`, "YulVarDecl", `let x, y := f()`},
		{`assembly { let x }`, "YulVarDecl", `let x`},
		{`assembly { x := add(x, 1) }`, "YulAssign", `x := add(x, 1)`},
		{`assembly { a, b := f() }`, "YulAssign", `a, b := f()`},
		{`assembly { if iszero(x) { revert(0, 0) } }`, "YulIf", `if iszero(x) { revert(0, 0) }`},
		{`assembly { switch x case 0 { a() } case "b" { } default { } }`, "YulSwitch", `switch x case 0 { a() } case "b" { } default { }`},
		{`assembly { switch x case 0 { a() } case "b" { } default { } }`, "YulCase", `case 0 { a() }`},
		{`assembly { for { let i := 0 } lt(i, n) { i := add(i, 1) } { continue break } }`, "YulFor", `for { let i := 0 } lt(i, n) { i := add(i, 1) } { continue break }`},
		{`assembly { for { } 1 { } { break } }`, "YulBreak", `break`},
		{`assembly { function f(a, b) -> r, s { leave } }`, "YulFunctionDef", `function f(a, b) -> r, s { leave }`},
		{`assembly { function g() { } }`, "YulFunctionDef", `function g() { }`},
		{`assembly { sstore(x.slot, y.offset) }`, "YulIdent", `sstore`},
		{`assembly { sstore(x.slot, y.offset) }`, "YulCall", `sstore(x.slot, y.offset)`},
		{`assembly { let r := return(0, 0x20) }`, "YulCall", `return(0, 0x20)`},
		{`assembly { let b := byte(0, x) let a := address() }`, "YulCall", `byte(0, x)`},
		{`assembly { let s := "abc" let h := hex"0011" let t := true }`, "YulLiteral", `"abc"`},
		{`assembly { { let x := 1 } }`, "YulBlock", `{ { let x := 1 } }`},
		{`assembly { $.slot := 1 }`, "YulIdent", `$.slot`},
		// Old 0.4 assembly: labels, stack assignment and instructional style.
		{`assembly { tag: 0x20 mload =: x jump(tag) }`, "YulLabel", `tag:`},
		{`assembly { tag: 0x20 mload =: x jump(tag) }`, "YulStackAssign", `=: x`},
		{`assembly { dup1 pop }`, "YulExprStmt", `dup1`},
	})
	a := first[*ast.AssemblyStmt](mustParse(t, inFunc(`assembly { let x := mload(0x40) function f(a) -> b { b := a } }`)))
	if len(a.Body.Stmts) != 2 {
		t.Fatalf("yul stmts = %d", len(a.Body.Stmts))
	}
	fd := a.Body.Stmts[1].(*ast.YulFunctionDef)
	if fd.Name.Name != "f" || len(fd.Params) != 1 || len(fd.Returns) != 1 {
		t.Errorf("bad yul function %+v", fd)
	}
	id := first[*ast.YulCall](mustParse(t, inFunc(`assembly { sstore(s.slot, 1) }`))).Args[0].(*ast.YulIdent)
	if id.Name != "s.slot" {
		t.Errorf("dotted name = %q", id.Name)
	}
}

func TestOldAndNewSyntaxFile(t *testing.T) {
	old := `pragma solidity ^0.4.11;
contract Old {
    address owner;
    uint public x = 1 szabo + 2 finney + 1 years;
    event Log(uint);
    function Old() { owner = msg.sender; }
    function () payable { }
    function get() constant returns (uint) { return x; }
    function kill() { if (msg.sender != owner) throw; suicide(owner); }
    function h() { var (a, b) = (1, 2); Log(a); bytes32 h = sha3(a); msg.sender.callcode(); }
    function asm() { assembly { let x := 1 tag: jump(tag) } }
}`
	mustParse(t, old)
	newer := `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
import {A as B} from "./a.sol";
type Fixed is int256;
using {add as +} for Fixed global;
uint256 constant ONE = 1e18;
error Bad(uint);
event Free(uint);
function add(Fixed a, Fixed b) pure returns (Fixed) { return Fixed.wrap(Fixed.unwrap(a) + Fixed.unwrap(b)); }
contract New layout at 42 {
    uint transient lock;
    mapping(address owner => mapping(address spender => uint256 amount)) allowances;
    function f() external {
        unchecked { lock++; }
        if (lock > 1) revert Bad(lock);
        try this.f() {} catch {}
    }
}`
	mustParse(t, newer)
}

func TestErrorRecovery(t *testing.T) {
	src := `pragma solidity ^0.8.0;
contract A {
    function good1() public { x = 1; }
    function broken() public {
        uint x = ;
        y = 2;
    }
    function good2() public { z = 3; }
}
contract B {
    function good3() public {}
}`
	u, errs := parse(t, src)
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want exactly one", errs)
	}
	if got := errs[0].Error(); got != "test.sol:5:18: expected expression, found ';'" {
		t.Errorf("error = %q", got)
	}
	var names []string
	ast.Inspect(u, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FunctionDefinition:
			names = append(names, n.Name.Name)
		case *ast.ContractDefinition:
			names = append(names, n.Name.Name)
		}
		return true
	})
	if got := strings.Join(names, ","); got != "A,good1,broken,good2,B,good3" {
		t.Errorf("declarations = %s", got)
	}
	// The statement after the bad one is still parsed.
	if got := find(u, "AssignExpr"); len(got) != 3 || got[1] != "y = 2" {
		t.Errorf("assignments = %q", got)
	}
}

func TestErrorMessages(t *testing.T) {
	cases := []struct {
		src, want string
	}{
		{"contract A {\n  function f() public {\n    x = 1\n  }\n}", "test.sol:4:3: expected ';', found '}'"},
		{"contract A {\n  uint x\n}", "test.sol:3:1: expected ';', found '}'"},
		{"contract A {\n  function f( public {}\n}", "test.sol:2:15: expected type name, found 'public'"},
		{"contract A {\n  function f() public {\n    if (x { }\n  }\n}", "test.sol:3:11: expected ')', found '{'"},
		{"contract {}", "test.sol:1:10: expected identifier, found '{'"},
		{"contract A { function f() { string s = \"abc; } }", "test.sol:1:40: string literal not terminated"},
		{"contract A { function f() { x = 1 # 2; } }", "test.sol:1:35: invalid character"},
		{"contract A {", "test.sol:1:13: expected '}', found end of file"},
		{"import ;", "test.sol:1:8: expected import path, found ';'"},
	}
	for _, c := range cases {
		_, errs := parse(t, c.src)
		if len(errs) == 0 {
			t.Errorf("%q: no error", c.src)
			continue
		}
		if got := errs[0].Error(); got != c.want {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
}

func TestRecoveryKeepsLaterMembers(t *testing.T) {
	src := `contract A {
    uint x = ;
    function f( { }
    event E(uint;
    function ok() public {}
}
contract B is { function ok2() {} }
function free() {}
`
	u, errs := parse(t, src)
	if len(errs) == 0 {
		t.Fatal("expected errors")
	}
	for _, want := range []string{"ok", "ok2", "free"} {
		found := false
		ast.Inspect(u, func(n ast.Node) bool {
			if f, ok := n.(*ast.FunctionDefinition); ok && f.Name != nil && f.Name.Name == want {
				found = true
			}
			return true
		})
		if !found {
			t.Errorf("function %s lost after errors %v", want, errs)
		}
	}
}

func TestNoPanicOnTruncations(t *testing.T) {
	src := []byte(wrap(`try t.f{value: 1}(x) returns (uint v) { a = (b, c)[1]; } catch Error(string memory r) { assembly { let x := add(1, 2) switch x case 1 {} default {} } }`))
	for i := 0; i <= len(src); i++ {
		u, _ := ParseSource("t.sol", src[:i])
		checkSpans(t, u)
	}
}

func TestDeepNesting(t *testing.T) {
	src := inFunc("x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + ";")
	_, errs := ParseSource("deep.sol", []byte(src))
	if len(errs) == 0 || !strings.Contains(errs[0].Msg, "nesting too deep") {
		t.Errorf("errors = %v", errs)
	}
}

func TestPositions(t *testing.T) {
	f := source.NewFile("p.sol", []byte("ab\ncd\n\nef"))
	for _, c := range []struct {
		off       int
		line, col int
	}{{0, 1, 1}, {1, 1, 2}, {3, 2, 1}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}} {
		l, col := f.LineCol(source.Pos(c.off))
		if l != c.line || col != c.col {
			t.Errorf("offset %d: %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
	if f.LineCount() != 4 {
		t.Errorf("lines = %d", f.LineCount())
	}
}

func TestMoreSnippets(t *testing.T) {
	runRangeCases(t, []rangeCase{
		{`Foo.Bar memory b = Foo.Bar(1);`, "UserDefinedTypeName", `Foo.Bar`},
		{`Foo.Bar b;`, "VariableDeclaration", `Foo.Bar b`},
		{`x.y = 1;`, "MemberExpr", `x.y`},
		{`x[i].y[j] = 1;`, "AssignExpr", `x[i].y[j] = 1`},
		{`string memory s = string.concat(a, b);`, "CallExpr", `string.concat(a, b)`},
		{`string.concat(a, b);`, "ExprStmt", `string.concat(a, b);`},
		{`address(x).transfer(1);`, "CallExpr", `address(x).transfer(1)`},
		{`payable(x).transfer(1);`, "ExprStmt", `payable(x).transfer(1);`},
		{`function(uint) external returns (uint) g = this.h;`, "FunctionTypeName", `function(uint) external returns (uint)`},
		{`(bool ok, ) = a.call{value: 1}("");`, "CallOptions", `a.call{value: 1}`},
		{`x = a < b ? a : b;`, "CondExpr", `a < b ? a : b`},
		{`new C();`, "NewExpr", `new C`},
		{`x = [uint(1), 2];`, "TupleExpr", `[uint(1), 2]`},
		{`a.length--;`, "UnaryExpr", `a.length--`},
		{`contract A { modifier m virtual { _; } }`, "ModifierDefinition", `modifier m virtual { _; }`},
		{`contract A { function receive() public {} }`, "FunctionDefinition", `function receive() public {}`},
		{`interface I { function () external payable; }`, "FunctionDefinition", `function () external payable;`},
		{`contract A { mapping (address => uint) public balanceOf; }`, "VariableDeclaration", `mapping (address => uint) public balanceOf`},
		{`contract A { uint[] public constant X = [1]; }`, "ArrayTypeName", `uint[]`},
		{`assembly { let x := 0 x := add(x, 1) }`, "YulAssign", `x := add(x, 1)`},
		{`assembly { mstore(0x40, sload(_owner_slot)) }`, "YulCall", `mstore(0x40, sload(_owner_slot))`},
	})
}
