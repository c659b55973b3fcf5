package sema

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// CallKind classifies a call site.
type CallKind uint8

// Call kinds.
const (
	// CallInternal is a call of a contract member or free function by
	// name, through super, or through a base contract name (B.f()).
	CallInternal CallKind = iota
	// CallLibrary is a call of a library function, directly (L.f()) or
	// attached with using-for (x.f()).
	CallLibrary
	// CallLowLevel is addr.call, .delegatecall, .staticcall or .callcode
	// (also the Yul builtins call, callcode, delegatecall, staticcall).
	CallLowLevel
	// CallSend is addr.send(amount).
	CallSend
	// CallTransfer is addr.transfer(amount) (Ether transfer).
	CallTransfer
	// CallHighLevel is a member call on a contract or interface value,
	// such as IERC20(t).transfer(a, b), token.transferFrom(...) or
	// this.f(); also member calls on receivers of unknown type.
	CallHighLevel
	// CallCreation is `new C(...)` (and Yul create/create2).
	CallCreation
	// CallBuiltin is a call of a global function such as require, assert,
	// revert, keccak256, ecrecover, selfdestruct, abi.encode, gasleft.
	CallBuiltin
	// CallUnresolved is a call whose callee could not be determined
	// (unknown name, function-typed variable).
	CallUnresolved
)

var callKindNames = [...]string{"internal", "library", "low-level", "send", "transfer", "high-level", "creation", "builtin", "unresolved"}

// String returns a name for k.
func (k CallKind) String() string {
	if int(k) < len(callKindNames) {
		return callKindNames[k]
	}
	return "?"
}

// CallbackKind tells whether a call may hand control to the token receiver
// (ERC-721/1155/777 hooks).
type CallbackKind uint8

// Callback kinds.
const (
	CallbackNone CallbackKind = iota
	// CallbackPossible marks ERC-20-style transfer/transferFrom on a token
	// of unknown implementation (ERC-777 tokens hook these too), and
	// SafeERC20-style library transfers.
	CallbackPossible
	// CallbackCertain marks safeTransferFrom, safeBatchTransferFrom,
	// safeMint, ERC-777 send/operatorSend: the recipient is called.
	CallbackCertain
)

// CallSite is a call expression in a function or modifier body.
type CallSite struct {
	Kind CallKind
	// Expr is the outermost call expression (for `x.call{value: v}(d)` and
	// `x.call.value(v)(d)`, the call applying the arguments d). Nil for
	// calls found in inline assembly.
	Expr *ast.CallExpr
	// Yul is the assembly call for calls found in inline assembly.
	Yul *ast.YulCall
	// Target is the receiver expression of member calls (`x` in x.call(),
	// `IERC20(t)` in IERC20(t).transfer(a, b)); nil for internal calls.
	Target ast.Expr
	// TargetType is the best-effort type of Target (nil if none).
	TargetType *Type
	// Method is the called member or function name ("call", "transfer",
	// "require", "_mint"); for creations the contract name.
	Method string
	// Args are the call arguments (excluding call options).
	Args []ast.Expr
	// Callee is the resolved function: for internal and library calls the
	// implementation; for high-level calls the declaration in the target
	// contract type, if known; for creations the constructor, if any.
	Callee *Function
	// Created is the contract created by a CallCreation.
	Created *Contract
	// Value is the Ether amount expression ({value: x}, .value(x), or the
	// amount argument of send and transfer); nil if no value is sent.
	Value ast.Expr
	// Gas is the gas option expression, if any.
	Gas ast.Expr
	// Super reports a super.f() call.
	Super bool
	// ReturnUsed reports that the call's result is used (assigned, passed
	// or tested) rather than discarded.
	ReturnUsed bool
	// ReturnChecked reports that the result (or the success variable it is
	// assigned to) is tested in a condition: require/assert argument,
	// if/loop/ternary condition or returned; also true for calls in a try
	// statement.
	ReturnChecked bool
	// SuccessVar is the local variable receiving the success flag or
	// result, if any.
	SuccessVar *Var
	// Loop is the innermost loop statement enclosing the call in its own
	// body (nil if none).
	Loop ast.Stmt
	// InTry reports the call of a try statement.
	InTry bool
	// Callback tells whether the call can invoke a token receiver hook.
	Callback CallbackKind
	// Function and Modifier give the body containing the call (one is set).
	Function *Function
	Modifier *Modifier
	// Node is the CFG root node (statement or condition expression)
	// containing the call.
	Node ast.Node

	external bool
}

// Pos returns the start of the call.
func (cs *CallSite) Pos() source.Pos {
	if cs.Expr != nil {
		return cs.Expr.Pos()
	}
	if cs.Yul != nil {
		return cs.Yul.Pos()
	}
	return 0
}

// at is the position at which the call completes (used to order events
// within one CFG node).
func (cs *CallSite) at() source.Pos {
	if cs.Expr != nil {
		return cs.Expr.End()
	}
	if cs.Yul != nil {
		return cs.Yul.End()
	}
	return 0
}

// IsExternal reports whether the call transfers control to another
// account: low-level calls, send, transfer, high-level calls, creations,
// and library calls whose library code (transitively) makes such a call
// or is an unresolved SafeERC20/Address-style helper.
func (cs *CallSite) IsExternal() bool { return cs.external }

// SendsValue reports whether the call may transfer Ether.
func (cs *CallSite) SendsValue() bool { return cs.Value != nil }

// IsDelegate reports delegatecall and callcode.
func (cs *CallSite) IsDelegate() bool {
	return cs.Kind == CallLowLevel && (cs.Method == "delegatecall" || cs.Method == "callcode")
}

// IsStatic reports staticcall and high-level calls of view/pure functions.
func (cs *CallSite) IsStatic() bool {
	if cs.Kind == CallLowLevel {
		return cs.Method == "staticcall"
	}
	return cs.Kind == CallHighLevel && cs.Callee != nil && cs.Callee.IsView()
}

// Owner returns the enclosing function or modifier as a node.
func (cs *CallSite) Owner() ast.Node {
	if cs.Function != nil {
		return cs.Function.Def
	}
	if cs.Modifier != nil {
		return cs.Modifier.Def
	}
	return nil
}

// Access is a read or write of a state variable in a body.
type Access struct {
	Var *Var
	// Expr is the accessing expression: the identifier, or for writes the
	// assigned expression (b[x] in b[x] = 0) or the push/pop call.
	Expr  ast.Expr
	Write bool
	// Via is the storage pointer local through which the state variable is
	// accessed (Info storage i = infos[id]; i.x = 1), or nil.
	Via *Var
	// Node is the CFG root node containing the access.
	Node ast.Node

	pos source.Pos
}

// builtinFuncs are global functions.
var builtinFuncs = map[string]bool{
	"require": true, "assert": true, "revert": true, "keccak256": true, "sha3": true, "sha256": true,
	"ripemd160": true, "ecrecover": true, "addmod": true, "mulmod": true, "selfdestruct": true,
	"suicide": true, "blockhash": true, "gasleft": true, "type": true, "msg.gas": true,
}

// builtinNames are global variables and namespaces.
var builtinNames = map[string]bool{
	"msg": true, "block": true, "tx": true, "abi": true, "this": true, "super": true, "now": true,
	"bytes": true, "string": true,
}

// externalLibHelpers are library functions (OpenZeppelin SafeERC20,
// Address, TransferHelper, ...) that make external calls; used when the
// library itself is not available.
var externalLibHelpers = map[string]CallbackKind{
	"safeTransfer": CallbackPossible, "safeTransferFrom": CallbackPossible, "safeApprove": CallbackNone,
	"safeIncreaseAllowance": CallbackNone, "safeDecreaseAllowance": CallbackNone, "forceApprove": CallbackNone,
	"safeTransferETH": CallbackNone, "sendValue": CallbackNone, "functionCall": CallbackNone,
	"functionCallWithValue": CallbackNone, "functionStaticCall": CallbackNone, "functionDelegateCall": CallbackNone,
	"safePermit": CallbackNone, "transferAndCall": CallbackCertain, "transferFromAndCall": CallbackCertain,
}

// callbackOf classifies a high-level call by method name and arity.
func callbackOf(method string, argc int) CallbackKind {
	switch method {
	case "safeTransferFrom", "safeBatchTransferFrom", "safeMint", "safeTransfer", "operatorSend",
		"transferAndCall", "transferFromAndCall", "approveAndCall", "onERC721Received", "onERC1155Received":
		return CallbackCertain
	case "send":
		if argc == 3 {
			return CallbackCertain
		}
	case "transfer", "transferFrom":
		return CallbackPossible
	}
	return CallbackNone
}
