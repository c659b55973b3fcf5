// Package ast declares the syntax tree of Solidity source units, including
// inline assembly parsed as Yul. Every node records its exact source range.
package ast

import (
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Node is implemented by every syntax tree node.
type Node interface {
	Span() source.Span
	Pos() source.Pos
	End() source.Pos
}

// Loc is embedded in every node and records its source range.
type Loc struct {
	Src source.Span
}

// Span returns the node's source range.
func (l *Loc) Span() source.Span { return l.Src }

// Pos returns the byte offset of the node's first character.
func (l *Loc) Pos() source.Pos { return l.Src.Start }

// End returns the byte offset just after the node's last character.
func (l *Loc) End() source.Pos { return l.Src.End }

// Decl is a declaration: a source-unit-level or contract-level item.
type Decl interface {
	Node
	declNode()
}

// Stmt is a statement.
type Stmt interface {
	Node
	stmtNode()
}

// Expr is an expression.
type Expr interface {
	Node
	exprNode()
}

// TypeName is a type name.
type TypeName interface {
	Node
	typeNode()
}

// Comment is a comment kept as trivia.
type Comment struct {
	Loc
	Kind lexer.CommentKind
	Text string
}

// Doc is the NatSpec documentation attached to a declaration: the run of
// /// or /** */ comments immediately preceding it.
type Doc struct {
	Loc
	Comments []*Comment
}

// Text returns the raw documentation text, comments separated by newlines.
func (d *Doc) Text() string {
	if d == nil {
		return ""
	}
	s := ""
	for i, c := range d.Comments {
		if i > 0 {
			s += "\n"
		}
		s += c.Text
	}
	return s
}

// SourceUnit is a parsed Solidity file.
type SourceUnit struct {
	Loc
	File     *source.File
	Decls    []Decl
	Comments []*Comment
}

// Ident is an identifier.
type Ident struct {
	Loc
	Name string
}

// IdentPath is a dotted identifier path such as A.B.C.
type IdentPath struct {
	Loc
	Names []*Ident
}

// String returns the dotted path.
func (p *IdentPath) String() string {
	if p == nil {
		return ""
	}
	s := ""
	for i, n := range p.Names {
		if i > 0 {
			s += "."
		}
		s += n.Name
	}
	return s
}

// PragmaDirective is `pragma name value;`.
type PragmaDirective struct {
	Loc
	Name  *Ident
	Value string // raw text between the name and the semicolon
}

// ImportSymbol is one `name as alias` entry of an import.
type ImportSymbol struct {
	Loc
	Name  *Ident
	Alias *Ident
}

// ImportDirective is any form of import: `import "p";`, `import "p" as
// u;`, `import * as u from "p";` and `import {a, b as c} from "p";`.
type ImportDirective struct {
	Loc
	Path     *Literal
	Alias    *Ident // unit alias, if any
	Star     bool   // import * as Alias from Path
	Symbols  []*ImportSymbol
	HasBrace bool // symbol list form
}

// ContractKind is the kind of a contract definition.
type ContractKind uint8

// Contract kinds.
const (
	KindContract ContractKind = iota
	KindInterface
	KindLibrary
)

// String returns the keyword of k.
func (k ContractKind) String() string {
	switch k {
	case KindInterface:
		return "interface"
	case KindLibrary:
		return "library"
	}
	return "contract"
}

// InheritanceSpecifier is a base contract with optional constructor arguments.
type InheritanceSpecifier struct {
	Loc
	Name    *IdentPath
	Args    []Expr
	HasArgs bool
}

// ContractDefinition is a contract, abstract contract, interface or library.
type ContractDefinition struct {
	Loc
	Doc      *Doc
	Kind     ContractKind
	Abstract bool
	Name     *Ident
	Bases    []*InheritanceSpecifier
	Layout   Expr // `layout at <expr>` storage layout specifier
	Body     []Decl
}

// UsingFunc is one entry of `using {f, g as +} for T`.
type UsingFunc struct {
	Loc
	Path     *IdentPath
	Operator lexer.Kind // user-defined operator, or EOF
}

// UsingForDirective is `using L for T;`, `using {f, g as +} for T global;`
// or `using L for *;`.
type UsingForDirective struct {
	Loc
	Library   *IdentPath   // nil for the braced list form
	Functions []*UsingFunc // braced list form
	Type      TypeName     // nil for `*`
	Global    bool
}

// StructDefinition is a struct type declaration.
type StructDefinition struct {
	Loc
	Doc     *Doc
	Name    *Ident
	Members []*VariableDeclaration
}

// EnumDefinition is an enum type declaration.
type EnumDefinition struct {
	Loc
	Doc    *Doc
	Name   *Ident
	Values []*Ident
}

// EventDefinition is an event declaration.
type EventDefinition struct {
	Loc
	Doc       *Doc
	Name      *Ident
	Params    []*VariableDeclaration
	Anonymous bool
}

// ErrorDefinition is a custom error declaration.
type ErrorDefinition struct {
	Loc
	Doc    *Doc
	Name   *Ident
	Params []*VariableDeclaration
}

// UserDefinedValueTypeDefinition is `type Name is Underlying;`.
type UserDefinedValueTypeDefinition struct {
	Loc
	Doc        *Doc
	Name       *Ident
	Underlying TypeName
}

// Visibility is a declared visibility.
type Visibility uint8

// Visibilities.
const (
	VisDefault Visibility = iota
	VisPublic
	VisExternal
	VisInternal
	VisPrivate
)

// String returns the keyword of v, or "" for the default.
func (v Visibility) String() string {
	switch v {
	case VisPublic:
		return "public"
	case VisExternal:
		return "external"
	case VisInternal:
		return "internal"
	case VisPrivate:
		return "private"
	}
	return ""
}

// Mutability is a function state mutability.
type Mutability uint8

// State mutabilities.
const (
	NonPayable Mutability = iota
	Pure
	View
	Payable
	ConstantFn // pre-0.5 `constant` function, equivalent to view
)

// String returns the keyword of m, or "" for non-payable.
func (m Mutability) String() string {
	switch m {
	case Pure:
		return "pure"
	case View:
		return "view"
	case Payable:
		return "payable"
	case ConstantFn:
		return "constant"
	}
	return ""
}

// DataLocation is a variable data location.
type DataLocation uint8

// Data locations.
const (
	LocDefault DataLocation = iota
	LocStorage
	LocMemory
	LocCalldata
)

// String returns the keyword of d, or "" for the default.
func (d DataLocation) String() string {
	switch d {
	case LocStorage:
		return "storage"
	case LocMemory:
		return "memory"
	case LocCalldata:
		return "calldata"
	}
	return ""
}

// OverrideSpecifier is `override` or `override(A, B)`.
type OverrideSpecifier struct {
	Loc
	Bases []*IdentPath
}

// VariableDeclaration declares a state variable, file-level constant, local
// variable, parameter, return variable, struct member or event/error
// parameter.
type VariableDeclaration struct {
	Loc
	Doc        *Doc
	Type       TypeName // nil for old `var` declarations
	Name       *Ident   // nil for unnamed parameters
	Visibility Visibility
	Constant   bool
	Immutable  bool
	Transient  bool
	Indexed    bool
	Location   DataLocation
	Override   *OverrideSpecifier
	Value      Expr
	StateVar   bool // declared at contract level
}

// FunctionKind is the kind of a function definition.
type FunctionKind uint8

// Function kinds.
const (
	FuncNormal FunctionKind = iota
	FuncConstructor
	FuncFallback
	FuncReceive
)

// String returns a name for k.
func (k FunctionKind) String() string {
	switch k {
	case FuncConstructor:
		return "constructor"
	case FuncFallback:
		return "fallback"
	case FuncReceive:
		return "receive"
	}
	return "function"
}

// ModifierInvocation is a modifier (or base constructor) invocation in a
// function header.
type ModifierInvocation struct {
	Loc
	Name    *IdentPath
	Args    []Expr
	HasArgs bool
}

// FunctionDefinition is a function, constructor, fallback or receive
// function, at contract or file level. Old-style constructors (functions
// named like their contract) are FuncNormal; semantic analysis flags them.
type FunctionDefinition struct {
	Loc
	Doc         *Doc
	Kind        FunctionKind
	Name        *Ident // nil for constructor, fallback and receive
	OldFallback bool   // unnamed pre-0.6 `function()` fallback
	Params      []*VariableDeclaration
	Returns     []*VariableDeclaration
	Visibility  Visibility
	Mutability  Mutability
	Modifiers   []*ModifierInvocation
	Override    *OverrideSpecifier
	Virtual     bool
	Free        bool   // declared at file level
	Body        *Block // nil if unimplemented
}

// ModifierDefinition is a modifier declaration.
type ModifierDefinition struct {
	Loc
	Doc      *Doc
	Name     *Ident
	Params   []*VariableDeclaration
	Virtual  bool
	Override *OverrideSpecifier
	Body     *Block // nil if unimplemented
}

// BadDecl is a placeholder for a declaration that could not be parsed.
type BadDecl struct {
	Loc
}

// ElementaryTypeName is a built-in type such as uint256 or address payable.
type ElementaryTypeName struct {
	Loc
	Name    string
	Payable bool // address payable, or the payable(...) conversion
}

// UserDefinedTypeName is a named type referenced by path.
type UserDefinedTypeName struct {
	Loc
	Path *IdentPath
}

// Mapping is mapping(Key KeyName => Value ValueName).
type Mapping struct {
	Loc
	Key       TypeName
	KeyName   *Ident
	Value     TypeName
	ValueName *Ident
}

// ArrayTypeName is Elem[Len] or Elem[].
type ArrayTypeName struct {
	Loc
	Elem TypeName
	Len  Expr // nil for dynamic arrays
}

// FunctionTypeName is a function type.
type FunctionTypeName struct {
	Loc
	Params     []*VariableDeclaration
	Returns    []*VariableDeclaration
	Visibility Visibility
	Mutability Mutability
}

// Block is { ... } or unchecked { ... }.
type Block struct {
	Loc
	Unchecked bool
	Stmts     []Stmt
}

// IfStmt is an if statement.
type IfStmt struct {
	Loc
	Cond Expr
	Then Stmt
	Else Stmt // nil if absent
}

// ForStmt is a for loop; Init, Cond and Post may be nil.
type ForStmt struct {
	Loc
	Init Stmt
	Cond Expr
	Post Expr
	Body Stmt
}

// WhileStmt is a while loop.
type WhileStmt struct {
	Loc
	Cond Expr
	Body Stmt
}

// DoWhileStmt is a do-while loop.
type DoWhileStmt struct {
	Loc
	Body Stmt
	Cond Expr
}

// ReturnStmt is a return statement.
type ReturnStmt struct {
	Loc
	Value Expr // nil if absent
}

// EmitStmt is `emit Event(args);`.
type EmitStmt struct {
	Loc
	Call *CallExpr
}

// RevertStmt is `revert CustomError(args);`.
type RevertStmt struct {
	Loc
	Call *CallExpr
}

// ThrowStmt is the pre-0.5 `throw;`.
type ThrowStmt struct{ Loc }

// BreakStmt is `break;`.
type BreakStmt struct{ Loc }

// ContinueStmt is `continue;`.
type ContinueStmt struct{ Loc }

// PlaceholderStmt is the modifier placeholder `_;`.
type PlaceholderStmt struct{ Loc }

// VarDeclStmt declares one or more local variables. For tuple declarations
// Decls may contain nil entries for skipped components.
type VarDeclStmt struct {
	Loc
	Decls []*VariableDeclaration
	Tuple bool // ( ... ) = form
	Var   bool // pre-0.5 `var` form
	Value Expr // nil if absent
}

// ExprStmt is an expression statement.
type ExprStmt struct {
	Loc
	X Expr
}

// CatchClause is one catch clause of a try statement. Name is nil, Error or
// Panic.
type CatchClause struct {
	Loc
	Name   *Ident
	Params []*VariableDeclaration
	Body   *Block
}

// TryStmt is a try/catch statement.
type TryStmt struct {
	Loc
	Call    Expr
	Returns []*VariableDeclaration
	Body    *Block
	Catches []*CatchClause
}

// AssemblyStmt is an inline assembly block.
type AssemblyStmt struct {
	Loc
	Dialect *Literal   // `assembly "evmasm"`, if present
	Flags   []*Literal // `assembly ("memory-safe")`
	Body    *YulBlock
}

// MemorySafe reports whether the block carries the "memory-safe" flag.
func (a *AssemblyStmt) MemorySafe() bool {
	for _, f := range a.Flags {
		if f.Value == `"memory-safe"` || f.Value == `'memory-safe'` {
			return true
		}
	}
	return false
}

// BadStmt is a placeholder for a statement that could not be parsed.
type BadStmt struct{ Loc }

// LiteralKind classifies literals.
type LiteralKind uint8

// Literal kinds.
const (
	LitBool LiteralKind = iota
	LitNumber
	LitHexNumber
	LitString
	LitHexString
	LitUnicodeString
)

// Literal is a boolean, number or string literal. Value is the raw source
// text (including quotes and prefixes; adjacent string literals are kept
// together). Unit is the subdenomination (ether, days, ...) if any.
type Literal struct {
	Loc
	Kind  LiteralKind
	Value string
	Unit  string
}

// BinaryExpr is X Op Y.
type BinaryExpr struct {
	Loc
	X  Expr
	Op lexer.Kind
	Y  Expr
}

// UnaryExpr is a prefix (Op X) or postfix (X Op) operation, including delete.
type UnaryExpr struct {
	Loc
	Op      lexer.Kind // Delete for `delete x`
	X       Expr
	Postfix bool
}

// AssignExpr is LHS Op RHS for = and compound assignment operators.
type AssignExpr struct {
	Loc
	LHS Expr
	Op  lexer.Kind
	RHS Expr
}

// CondExpr is Cond ? Then : Else.
type CondExpr struct {
	Loc
	Cond Expr
	Then Expr
	Else Expr
}

// CallExpr is a function call, event emission argument list or type
// conversion. For named arguments `f({a: 1})`, Names is parallel to Args.
type CallExpr struct {
	Loc
	Fun   Expr
	Args  []Expr
	Names []*Ident // nil unless named-argument form
}

// CallOptions is X{name: value, ...}, e.g. f{value: v, gas: g}.
type CallOptions struct {
	Loc
	X      Expr
	Names  []*Ident
	Values []Expr
}

// NewExpr is `new T`.
type NewExpr struct {
	Loc
	Type TypeName
}

// IndexExpr is X[Index]; Index is nil for the type expression X[].
type IndexExpr struct {
	Loc
	X     Expr
	Index Expr
}

// IndexRangeExpr is X[Low:High]; Low and High may be nil.
type IndexRangeExpr struct {
	Loc
	X    Expr
	Low  Expr
	High Expr
}

// MemberExpr is X.Member.
type MemberExpr struct {
	Loc
	X      Expr
	Member *Ident
}

// TupleExpr is a parenthesized expression or tuple (a, , b), or an inline
// array [a, b] when IsArray. Elems may contain nil for omitted components.
// A parenthesized expression (x) is a TupleExpr with one element.
type TupleExpr struct {
	Loc
	Elems   []Expr
	IsArray bool
}

// ElementaryTypeExpr is an elementary type used as an expression, such as
// the callee of address(x) or payable(x) (Name "address", Payable).
type ElementaryTypeExpr struct {
	Loc
	Type *ElementaryTypeName
}

// TypeNameExpr wraps a non-elementary type name (mapping or function type)
// appearing in expression position.
type TypeNameExpr struct {
	Loc
	Type TypeName
}

// BadExpr is a placeholder for an expression that could not be parsed.
type BadExpr struct{ Loc }

func (*PragmaDirective) declNode()                {}
func (*ImportDirective) declNode()                {}
func (*ContractDefinition) declNode()             {}
func (*UsingForDirective) declNode()              {}
func (*StructDefinition) declNode()               {}
func (*EnumDefinition) declNode()                 {}
func (*EventDefinition) declNode()                {}
func (*ErrorDefinition) declNode()                {}
func (*UserDefinedValueTypeDefinition) declNode() {}
func (*VariableDeclaration) declNode()            {}
func (*FunctionDefinition) declNode()             {}
func (*ModifierDefinition) declNode()             {}
func (*BadDecl) declNode()                        {}

func (*ElementaryTypeName) typeNode()  {}
func (*UserDefinedTypeName) typeNode() {}
func (*Mapping) typeNode()             {}
func (*ArrayTypeName) typeNode()       {}
func (*FunctionTypeName) typeNode()    {}

func (*Block) stmtNode()           {}
func (*IfStmt) stmtNode()          {}
func (*ForStmt) stmtNode()         {}
func (*WhileStmt) stmtNode()       {}
func (*DoWhileStmt) stmtNode()     {}
func (*ReturnStmt) stmtNode()      {}
func (*EmitStmt) stmtNode()        {}
func (*RevertStmt) stmtNode()      {}
func (*ThrowStmt) stmtNode()       {}
func (*BreakStmt) stmtNode()       {}
func (*ContinueStmt) stmtNode()    {}
func (*PlaceholderStmt) stmtNode() {}
func (*VarDeclStmt) stmtNode()     {}
func (*ExprStmt) stmtNode()        {}
func (*TryStmt) stmtNode()         {}
func (*AssemblyStmt) stmtNode()    {}
func (*BadStmt) stmtNode()         {}

func (*Ident) exprNode()              {}
func (*Literal) exprNode()            {}
func (*BinaryExpr) exprNode()         {}
func (*UnaryExpr) exprNode()          {}
func (*AssignExpr) exprNode()         {}
func (*CondExpr) exprNode()           {}
func (*CallExpr) exprNode()           {}
func (*CallOptions) exprNode()        {}
func (*NewExpr) exprNode()            {}
func (*IndexExpr) exprNode()          {}
func (*IndexRangeExpr) exprNode()     {}
func (*MemberExpr) exprNode()         {}
func (*TupleExpr) exprNode()          {}
func (*ElementaryTypeExpr) exprNode() {}
func (*TypeNameExpr) exprNode()       {}
func (*BadExpr) exprNode()            {}
