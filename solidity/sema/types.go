package sema

import (
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

// TypeKind classifies a Type.
type TypeKind uint8

// Type kinds.
const (
	TypeUnknown    TypeKind = iota
	TypeElementary          // bool, address, uintN, intN, bytesN, bytes, string, fixed
	TypeContract            // contract, interface or library
	TypeStruct
	TypeEnum
	TypeUDVT // user-defined value type
	TypeMapping
	TypeArray
	TypeFunction
	TypeTuple // multiple return values
)

var typeKindNames = [...]string{"unknown", "elementary", "contract", "struct", "enum", "user-defined value type", "mapping", "array", "function", "tuple"}

// String returns a name for k.
func (k TypeKind) String() string {
	if int(k) < len(typeKindNames) {
		return typeKindNames[k]
	}
	return "?"
}

// Type is a best-effort static type.
type Type struct {
	Kind TypeKind
	// Name is the canonical elementary name ("uint256", "address",
	// "bytes32", "bool", "string", "bytes") or the declared name of a
	// user-defined type (also kept when the name is unresolved).
	Name string
	// Payable reports `address payable`.
	Payable bool
	// Contract is the contract, interface or library of a TypeContract.
	Contract *Contract
	// Decl is the struct, enum or user-defined value type definition.
	Decl ast.Node
	// Key and Elem are the key and value types of a mapping; Elem is the
	// element type of an array.
	Key, Elem *Type
	// Fixed reports a fixed-length array.
	Fixed bool
	// Elems are the component types of a tuple.
	Elems []*Type
	// Node is the type name this type was resolved from, if any.
	Node ast.TypeName
}

// String formats t in Solidity syntax.
func (t *Type) String() string {
	if t == nil {
		return "?"
	}
	switch t.Kind {
	case TypeElementary:
		if t.Payable && t.Name == "address" {
			return "address payable"
		}
		return t.Name
	case TypeMapping:
		return "mapping(" + t.Key.String() + " => " + t.Elem.String() + ")"
	case TypeArray:
		if t.Fixed {
			return t.Elem.String() + "[N]"
		}
		return t.Elem.String() + "[]"
	case TypeTuple:
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			parts[i] = e.String()
		}
		return "(" + strings.Join(parts, ",") + ")"
	case TypeFunction:
		return "function"
	case TypeUnknown:
		if t.Name != "" {
			return t.Name
		}
		return "?"
	}
	return t.Name
}

// IsAddress reports whether t is address or address payable.
func (t *Type) IsAddress() bool {
	return t != nil && t.Kind == TypeElementary && t.Name == "address"
}

// IsContract reports whether t is a contract or interface type.
func (t *Type) IsContract() bool { return t != nil && t.Kind == TypeContract }

// IsAddressLike reports whether t is an address or a contract/interface
// type (both denote an account).
func (t *Type) IsAddressLike() bool { return t.IsAddress() || t.IsContract() }

// IsInteger reports whether t is an intN or uintN type.
func (t *Type) IsInteger() bool {
	return t != nil && t.Kind == TypeElementary && (strings.HasPrefix(t.Name, "uint") || strings.HasPrefix(t.Name, "int"))
}

// IsSigned reports whether t is a signed integer type.
func (t *Type) IsSigned() bool {
	return t != nil && t.Kind == TypeElementary && strings.HasPrefix(t.Name, "int")
}

// Bits returns the bit width of an integer type, or 0.
func (t *Type) Bits() int {
	if !t.IsInteger() {
		return 0
	}
	s := strings.TrimPrefix(strings.TrimPrefix(t.Name, "u"), "int")
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// sameBase reports whether t and u denote the same type, ignoring
// payability and data location.
func (t *Type) sameBase(u *Type) bool {
	if t == nil || u == nil {
		return false
	}
	if t.Kind != u.Kind {
		return false
	}
	switch t.Kind {
	case TypeMapping:
		return t.Key.sameBase(u.Key) && t.Elem.sameBase(u.Elem)
	case TypeArray:
		return t.Elem.sameBase(u.Elem)
	case TypeContract:
		if t.Contract != nil && u.Contract != nil {
			return t.Contract == u.Contract
		}
	case TypeStruct, TypeEnum, TypeUDVT:
		if t.Decl != nil && u.Decl != nil {
			return t.Decl == u.Decl
		}
	}
	return t.Name == u.Name
}

// canonicalElementary maps aliases to canonical names (uint -> uint256).
func canonicalElementary(n string) string {
	switch n {
	case "uint":
		return "uint256"
	case "int":
		return "int256"
	case "byte":
		return "bytes1"
	case "fixed":
		return "fixed128x18"
	case "ufixed":
		return "ufixed128x18"
	}
	return n
}

// Elementary returns the elementary type named name (aliases such as uint
// are canonicalized).
func Elementary(name string) *Type {
	return &Type{Kind: TypeElementary, Name: canonicalElementary(name)}
}

var unknownType = &Type{Kind: TypeUnknown}

// resolveType resolves a type name in the scope of contract c (may be nil)
// and file f.
func (m *Model) resolveType(tn ast.TypeName, f *File, c *Contract) *Type {
	switch t := tn.(type) {
	case nil:
		return nil
	case *ast.ElementaryTypeName:
		if t == nil {
			return nil
		}
		return &Type{Kind: TypeElementary, Name: canonicalElementary(t.Name), Payable: t.Payable, Node: tn}
	case *ast.UserDefinedTypeName:
		if t.Path == nil {
			return &Type{Kind: TypeUnknown, Node: tn}
		}
		syms := m.lookupPath(t.Path, f, c)
		res := &Type{Kind: TypeUnknown, Name: t.Path.String(), Node: tn}
		for _, s := range syms {
			switch s.Kind {
			case SymContract:
				res.Kind, res.Contract, res.Name = TypeContract, s.Contract, s.Contract.Name
			case SymStruct:
				res.Kind, res.Decl = TypeStruct, s.Node
			case SymEnum:
				res.Kind, res.Decl = TypeEnum, s.Node
			case SymUDVT:
				res.Kind, res.Decl = TypeUDVT, s.Node
			default:
				continue
			}
			break
		}
		return res
	case *ast.Mapping:
		return &Type{Kind: TypeMapping, Key: m.resolveType(t.Key, f, c), Elem: m.resolveType(t.Value, f, c), Node: tn}
	case *ast.ArrayTypeName:
		return &Type{Kind: TypeArray, Elem: m.resolveType(t.Elem, f, c), Fixed: t.Len != nil, Node: tn}
	case *ast.FunctionTypeName:
		return &Type{Kind: TypeFunction, Node: tn}
	}
	return &Type{Kind: TypeUnknown, Node: tn}
}

// typeString returns a canonical string of a type name for signatures.
func typeString(tn ast.TypeName) string {
	switch t := tn.(type) {
	case *ast.ElementaryTypeName:
		if t == nil {
			return "?"
		}
		return canonicalElementary(t.Name)
	case *ast.UserDefinedTypeName:
		if t.Path == nil || len(t.Path.Names) == 0 {
			return "?"
		}
		return t.Path.Names[len(t.Path.Names)-1].Name
	case *ast.Mapping:
		return "mapping(" + typeString(t.Key) + "=>" + typeString(t.Value) + ")"
	case *ast.ArrayTypeName:
		if t.Len != nil {
			return typeString(t.Elem) + "[N]"
		}
		return typeString(t.Elem) + "[]"
	case *ast.FunctionTypeName:
		return "function"
	}
	return "?"
}

// structMember returns the member named name of struct definition d.
func structMember(d ast.Node, name string) *ast.VariableDeclaration {
	sd, ok := d.(*ast.StructDefinition)
	if !ok {
		return nil
	}
	for _, mb := range sd.Members {
		if mb != nil && mb.Name != nil && mb.Name.Name == name {
			return mb
		}
	}
	return nil
}

// TypeOf returns the best-effort static type of an expression in an
// analysed body: identifiers (variables, contracts, this), members
// (msg.sender, struct fields, address members), index expressions,
// conversions, calls of resolved functions and literals. It returns a type
// of Kind TypeUnknown (never nil) when the type cannot be determined.
func (m *Model) TypeOf(e ast.Expr) *Type {
	if t := m.typeOf(e, 0); t != nil {
		return t
	}
	return unknownType
}

func (m *Model) typeOf(e ast.Expr, depth int) *Type {
	if depth > 50 {
		return nil
	}
	switch x := e.(type) {
	case *ast.Ident:
		if x == nil {
			return nil
		}
		s := m.refs[x]
		switch s.Kind {
		case SymVar:
			if s.Var != nil {
				return s.Var.Type
			}
		case SymContract:
			return &Type{Kind: TypeContract, Name: s.Contract.Name, Contract: s.Contract}
		case SymBuiltin:
			switch x.Name {
			case "this":
				if s.Contract != nil {
					return &Type{Kind: TypeContract, Name: s.Contract.Name, Contract: s.Contract}
				}
			case "now":
				return Elementary("uint256")
			}
		}
	case *ast.Literal:
		switch x.Kind {
		case ast.LitBool:
			return Elementary("bool")
		case ast.LitNumber, ast.LitHexNumber:
			if x.Kind == ast.LitHexNumber && len(x.Value) == 42 {
				return Elementary("address")
			}
			return Elementary("uint256")
		default:
			return Elementary("string")
		}
	case *ast.TupleExpr:
		if len(x.Elems) == 1 && !x.IsArray {
			return m.typeOf(x.Elems[0], depth+1)
		}
		if x.IsArray && len(x.Elems) > 0 {
			return &Type{Kind: TypeArray, Elem: m.typeOf(x.Elems[0], depth+1), Fixed: true}
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case lexer.Eq, lexer.Ne, lexer.Lt, lexer.Gt, lexer.Le, lexer.Ge, lexer.And, lexer.Or:
			return Elementary("bool")
		}
		t := m.typeOf(x.X, depth+1)
		if lit, ok := x.X.(*ast.Literal); ok && lit.Kind != ast.LitBool {
			if u := m.typeOf(x.Y, depth+1); u != nil {
				return u
			}
		}
		return t
	case *ast.UnaryExpr:
		if x.Op == lexer.Not {
			return Elementary("bool")
		}
		return m.typeOf(x.X, depth+1)
	case *ast.AssignExpr:
		return m.typeOf(x.LHS, depth+1)
	case *ast.CondExpr:
		if t := m.typeOf(x.Then, depth+1); t != nil && t.Kind != TypeUnknown {
			return t
		}
		return m.typeOf(x.Else, depth+1)
	case *ast.IndexExpr:
		t := m.typeOf(x.X, depth+1)
		if t == nil {
			return nil
		}
		switch t.Kind {
		case TypeMapping, TypeArray:
			return t.Elem
		case TypeElementary:
			if t.Name == "bytes" || len(t.Name) > 5 && t.Name[:5] == "bytes" {
				return Elementary("bytes1")
			}
		}
	case *ast.IndexRangeExpr:
		return m.typeOf(x.X, depth+1)
	case *ast.MemberExpr:
		return m.memberType(x, depth)
	case *ast.CallExpr:
		return m.callType(x, depth)
	case *ast.ElementaryTypeExpr:
		if x.Type != nil {
			return &Type{Kind: TypeElementary, Name: canonicalElementary(x.Type.Name), Payable: x.Type.Payable}
		}
	}
	return nil
}

var magicTypes = map[string]string{
	"msg.sender": "address", "msg.value": "uint256", "msg.data": "bytes", "msg.sig": "bytes4", "msg.gas": "uint256",
	"tx.origin": "address", "tx.gasprice": "uint256",
	"block.timestamp": "uint256", "block.number": "uint256", "block.coinbase": "address", "block.difficulty": "uint256",
	"block.prevrandao": "uint256", "block.gaslimit": "uint256", "block.chainid": "uint256", "block.basefee": "uint256",
	"block.blobbasefee": "uint256",
}

func (m *Model) memberType(x *ast.MemberExpr, depth int) *Type {
	name := identName(x.Member)
	if id, ok := x.X.(*ast.Ident); ok {
		s := m.refs[id]
		if s.Kind == SymBuiltin || s.Kind == SymUnresolved {
			if n, ok := magicTypes[id.Name+"."+name]; ok {
				t := Elementary(n)
				if n == "address" && (id.Name == "msg" || id.Name == "tx") {
					t.Payable = true
				}
				return t
			}
		}
		if s.Kind == SymContract && s.Contract != nil {
			for _, b := range s.Contract.Linearization {
				for _, en := range b.Enums {
					if identName(en.Name) == name {
						return &Type{Kind: TypeEnum, Name: name, Decl: en}
					}
				}
				for _, v := range b.StateVars {
					if v.Name == name && v.Decl.Constant {
						return v.Type
					}
				}
			}
		}
		if s.Kind == SymEnum {
			return &Type{Kind: TypeEnum, Name: s.Name, Decl: s.Node}
		}
	}
	t := m.typeOf(x.X, depth+1)
	if t == nil {
		if name == "length" {
			return Elementary("uint256")
		}
		return nil
	}
	switch t.Kind {
	case TypeStruct:
		if mb := structMember(t.Decl, name); mb != nil {
			return m.vars[mb].typeOrNil()
		}
	case TypeElementary:
		switch name {
		case "balance":
			return Elementary("uint256")
		case "code":
			return Elementary("bytes")
		case "codehash":
			return Elementary("bytes32")
		case "length":
			return Elementary("uint256")
		}
	case TypeArray:
		if name == "length" {
			return Elementary("uint256")
		}
	case TypeContract:
		if t.Contract != nil {
			if v := t.Contract.StateVar(name); v != nil && v.Decl.Visibility == ast.VisPublic {
				return &Type{Kind: TypeFunction, Name: name}
			}
		}
		if name == "balance" {
			return Elementary("uint256")
		}
	}
	return nil
}

func (v *Var) typeOrNil() *Type {
	if v == nil {
		return nil
	}
	return v.Type
}

var builtinResult = map[string]string{
	"keccak256": "bytes32", "sha3": "bytes32", "sha256": "bytes32", "ripemd160": "bytes20", "ecrecover": "address",
	"addmod": "uint256", "mulmod": "uint256", "blockhash": "bytes32", "gasleft": "uint256",
	"abi.encode": "bytes", "abi.encodePacked": "bytes", "abi.encodeWithSelector": "bytes",
	"abi.encodeWithSignature": "bytes", "abi.encodeCall": "bytes", "bytes.concat": "bytes", "string.concat": "string",
}

func (m *Model) callType(x *ast.CallExpr, depth int) *Type {
	fun, _, _, _ := peelCall(x)
	switch f := fun.(type) {
	case *ast.ElementaryTypeExpr:
		if f.Type != nil {
			return &Type{Kind: TypeElementary, Name: canonicalElementary(f.Type.Name), Payable: f.Type.Payable}
		}
	case *ast.NewExpr:
		return m.typeOfTypeName(f.Type)
	case *ast.Ident:
		s := m.refs[f]
		switch s.Kind {
		case SymContract:
			return &Type{Kind: TypeContract, Name: s.Contract.Name, Contract: s.Contract}
		case SymStruct:
			return &Type{Kind: TypeStruct, Name: s.Name, Decl: s.Node}
		case SymUDVT:
			return &Type{Kind: TypeUDVT, Name: s.Name, Decl: s.Node}
		}
	case *ast.IndexExpr:
		return &Type{Kind: TypeArray, Elem: m.typeOf(f.X, depth+1)}
	}
	if cs := m.callOf[x]; cs != nil {
		if n, ok := builtinResult[cs.Method]; ok && cs.Kind == CallBuiltin {
			return Elementary(n)
		}
		switch cs.Kind {
		case CallSend:
			return Elementary("bool")
		case CallCreation:
			if cs.Created != nil {
				return &Type{Kind: TypeContract, Name: cs.Created.Name, Contract: cs.Created}
			}
		case CallLowLevel:
			return &Type{Kind: TypeTuple, Elems: []*Type{Elementary("bool"), Elementary("bytes")}}
		}
		if cs.Callee != nil {
			switch len(cs.Callee.Returns) {
			case 0:
				return nil
			case 1:
				return cs.Callee.Returns[0].Type
			default:
				t := &Type{Kind: TypeTuple}
				for _, r := range cs.Callee.Returns {
					t.Elems = append(t.Elems, r.Type)
				}
				return t
			}
		}
		// Member calls like x.wrap/unwrap on UDVTs, or unresolved: unknown.
		if me, ok := fun.(*ast.MemberExpr); ok && me.Member != nil {
			if id, ok := me.X.(*ast.Ident); ok {
				if s := m.refs[id]; s.Kind == SymUDVT && me.Member.Name == "wrap" {
					return &Type{Kind: TypeUDVT, Name: s.Name, Decl: s.Node}
				}
			}
		}
	}
	if me, ok := fun.(*ast.MemberExpr); ok && me.Member != nil {
		if id, ok := me.X.(*ast.Ident); ok {
			if s := m.refs[id]; s.Kind == SymUDVT && me.Member.Name == "wrap" {
				return &Type{Kind: TypeUDVT, Name: s.Name, Decl: s.Node}
			}
		}
	}
	return nil
}

// typeOfTypeName resolves a type name appearing inside a body (already
// referenced by the walker).
func (m *Model) typeOfTypeName(tn ast.TypeName) *Type {
	switch t := tn.(type) {
	case *ast.ElementaryTypeName:
		return &Type{Kind: TypeElementary, Name: canonicalElementary(t.Name), Payable: t.Payable, Node: tn}
	case *ast.UserDefinedTypeName:
		if t.Path != nil && len(t.Path.Names) > 0 {
			if last := t.Path.Names[len(t.Path.Names)-1]; last != nil {
				s := m.refs[last]
				if s.Kind == SymContract {
					return &Type{Kind: TypeContract, Name: s.Contract.Name, Contract: s.Contract, Node: tn}
				}
			}
		}
	case *ast.ArrayTypeName:
		return &Type{Kind: TypeArray, Elem: m.typeOfTypeName(t.Elem), Node: tn}
	}
	return nil
}
