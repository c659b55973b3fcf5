package ast

// YulStmt is a Yul statement.
type YulStmt interface {
	Node
	yulStmtNode()
}

// YulExpr is a Yul expression: a call, identifier or literal.
type YulExpr interface {
	Node
	yulExprNode()
}

// YulBlock is { ... } in Yul.
type YulBlock struct {
	Loc
	Stmts []YulStmt
}

// YulIdent is a Yul identifier; Name may contain dots (x.slot, x.offset).
type YulIdent struct {
	Loc
	Name string
}

// YulLiteral is a Yul number, string, hex string or boolean literal. Value is
// the raw source text.
type YulLiteral struct {
	Loc
	Kind  LiteralKind
	Value string
}

// YulCall is a function or builtin call f(args).
type YulCall struct {
	Loc
	Fun  *YulIdent
	Args []YulExpr
}

// YulVarDecl is `let a, b := value` (Value may be nil).
type YulVarDecl struct {
	Loc
	Names []*YulIdent
	Value YulExpr
}

// YulAssign is `a, b := value`.
type YulAssign struct {
	Loc
	Names []*YulIdent
	Value YulExpr
}

// YulIf is `if cond { ... }`.
type YulIf struct {
	Loc
	Cond YulExpr
	Body *YulBlock
}

// YulCase is `case value { ... }` or `default { ... }` (Value nil).
type YulCase struct {
	Loc
	Value *YulLiteral
	Body  *YulBlock
}

// YulSwitch is a switch statement.
type YulSwitch struct {
	Loc
	Expr  YulExpr
	Cases []*YulCase
}

// YulFor is `for { init } cond { post } { body }`.
type YulFor struct {
	Loc
	Init *YulBlock
	Cond YulExpr
	Post *YulBlock
	Body *YulBlock
}

// YulFunctionDef is `function f(a, b) -> r { ... }`.
type YulFunctionDef struct {
	Loc
	Name    *YulIdent
	Params  []*YulIdent
	Returns []*YulIdent
	Body    *YulBlock
}

// YulBreak is `break`.
type YulBreak struct{ Loc }

// YulContinue is `continue`.
type YulContinue struct{ Loc }

// YulLeave is `leave`.
type YulLeave struct{ Loc }

// YulExprStmt is an expression used as a statement (normally a call; bare
// identifiers and literals appear in old instructional assembly).
type YulExprStmt struct {
	Loc
	X YulExpr
}

// YulLabel is an old (pre-0.5) assembly label `name:`.
type YulLabel struct {
	Loc
	Name *YulIdent
}

// YulStackAssign is an old (pre-0.5) assembly stack assignment `=: name`.
type YulStackAssign struct {
	Loc
	Name *YulIdent
}

// YulBad is a placeholder for Yul code that could not be parsed.
type YulBad struct{ Loc }

func (*YulBlock) yulStmtNode()       {}
func (*YulVarDecl) yulStmtNode()     {}
func (*YulAssign) yulStmtNode()      {}
func (*YulIf) yulStmtNode()          {}
func (*YulSwitch) yulStmtNode()      {}
func (*YulFor) yulStmtNode()         {}
func (*YulFunctionDef) yulStmtNode() {}
func (*YulBreak) yulStmtNode()       {}
func (*YulContinue) yulStmtNode()    {}
func (*YulLeave) yulStmtNode()       {}
func (*YulExprStmt) yulStmtNode()    {}
func (*YulLabel) yulStmtNode()       {}
func (*YulStackAssign) yulStmtNode() {}
func (*YulBad) yulStmtNode()         {}

func (*YulIdent) yulExprNode()   {}
func (*YulLiteral) yulExprNode() {}
func (*YulCall) yulExprNode()    {}
func (*YulBad) yulExprNode()     {}
