// Package lexer tokenizes Solidity (and inline Yul) source code.
//
// The lexer works on a byte slice, allocates nothing per token and keeps
// comments as trivia so that NatSpec documentation can be attached to the
// declaration that follows it.
package lexer

// Kind identifies the lexical class of a token.
type Kind uint8

// Token kinds.
const (
	EOF Kind = iota
	Illegal
	Ident
	ElemType // elementary type name such as uint256, address, bytes32
	Number   // decimal number, possibly with fraction or exponent
	HexNumber
	String        // "..." or '...'
	HexString     // hex"..."
	UnicodeString // unicode"..."

	// Punctuation.
	LParen
	RParen
	LBrack
	RBrack
	LBrace
	RBrace
	Colon
	Semicolon
	Period
	Question
	Comma
	DoubleArrow // =>
	Arrow       // ->
	ColonAssign // := (Yul)
	EqColon     // =: (old assembly)

	assignBeg
	Assign
	AssignBitOr
	AssignBitXor
	AssignBitAnd
	AssignShl
	AssignSar
	AssignShr
	AssignAdd
	AssignSub
	AssignMul
	AssignDiv
	AssignMod
	assignEnd

	binaryBeg
	Or
	And
	BitOr
	BitXor
	BitAnd
	Shl
	Sar
	Shr
	Add
	Sub
	Mul
	Div
	Mod
	Exp
	Eq
	Ne
	Lt
	Gt
	Le
	Ge
	binaryEnd

	Not
	BitNot
	Inc
	Dec

	keywordBeg
	Abstract
	Anonymous
	As
	Assembly
	Break
	Calldata
	Catch
	Constant
	Constructor
	Continue
	Contract
	Delete
	Do
	Else
	Emit
	Enum
	Event
	External
	False
	For
	Function
	If
	Immutable
	Import
	Indexed
	Interface
	Internal
	Is
	Library
	Mapping
	Memory
	Modifier
	New
	Override
	Payable
	Pragma
	Private
	Public
	Pure
	Return
	Returns
	Storage
	Struct
	Throw
	True
	Try
	Type
	Unchecked
	Using
	Var
	View
	Virtual
	While
	keywordEnd

	numKinds
)

var kindNames = [numKinds]string{
	EOF:           "EOF",
	Illegal:       "illegal token",
	Ident:         "identifier",
	ElemType:      "type name",
	Number:        "number",
	HexNumber:     "hex number",
	String:        "string literal",
	HexString:     "hex string literal",
	UnicodeString: "unicode string literal",
	LParen:        "(",
	RParen:        ")",
	LBrack:        "[",
	RBrack:        "]",
	LBrace:        "{",
	RBrace:        "}",
	Colon:         ":",
	Semicolon:     ";",
	Period:        ".",
	Question:      "?",
	Comma:         ",",
	DoubleArrow:   "=>",
	Arrow:         "->",
	ColonAssign:   ":=",
	EqColon:       "=:",
	Assign:        "=",
	AssignBitOr:   "|=",
	AssignBitXor:  "^=",
	AssignBitAnd:  "&=",
	AssignShl:     "<<=",
	AssignSar:     ">>=",
	AssignShr:     ">>>=",
	AssignAdd:     "+=",
	AssignSub:     "-=",
	AssignMul:     "*=",
	AssignDiv:     "/=",
	AssignMod:     "%=",
	Or:            "||",
	And:           "&&",
	BitOr:         "|",
	BitXor:        "^",
	BitAnd:        "&",
	Shl:           "<<",
	Sar:           ">>",
	Shr:           ">>>",
	Add:           "+",
	Sub:           "-",
	Mul:           "*",
	Div:           "/",
	Mod:           "%",
	Exp:           "**",
	Eq:            "==",
	Ne:            "!=",
	Lt:            "<",
	Gt:            ">",
	Le:            "<=",
	Ge:            ">=",
	Not:           "!",
	BitNot:        "~",
	Inc:           "++",
	Dec:           "--",
	Abstract:      "abstract",
	Anonymous:     "anonymous",
	As:            "as",
	Assembly:      "assembly",
	Break:         "break",
	Calldata:      "calldata",
	Catch:         "catch",
	Constant:      "constant",
	Constructor:   "constructor",
	Continue:      "continue",
	Contract:      "contract",
	Delete:        "delete",
	Do:            "do",
	Else:          "else",
	Emit:          "emit",
	Enum:          "enum",
	Event:         "event",
	External:      "external",
	False:         "false",
	For:           "for",
	Function:      "function",
	If:            "if",
	Immutable:     "immutable",
	Import:        "import",
	Indexed:       "indexed",
	Interface:     "interface",
	Internal:      "internal",
	Is:            "is",
	Library:       "library",
	Mapping:       "mapping",
	Memory:        "memory",
	Modifier:      "modifier",
	New:           "new",
	Override:      "override",
	Payable:       "payable",
	Pragma:        "pragma",
	Private:       "private",
	Public:        "public",
	Pure:          "pure",
	Return:        "return",
	Returns:       "returns",
	Storage:       "storage",
	Struct:        "struct",
	Throw:         "throw",
	True:          "true",
	Try:           "try",
	Type:          "type",
	Unchecked:     "unchecked",
	Using:         "using",
	Var:           "var",
	View:          "view",
	Virtual:       "virtual",
	While:         "while",
}

// String returns the source spelling of operators and keywords and a
// description for other kinds.
func (k Kind) String() string {
	if k < numKinds && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown token"
}

// IsKeyword reports whether k is a reserved keyword.
func (k Kind) IsKeyword() bool { return k > keywordBeg && k < keywordEnd }

// IsAssignOp reports whether k is = or a compound assignment operator.
func (k Kind) IsAssignOp() bool { return k > assignBeg && k < assignEnd }

// IsBinaryOp reports whether k is a binary (non-assignment) operator.
func (k Kind) IsBinaryOp() bool { return k > binaryBeg && k < binaryEnd }

// IsLiteral reports whether k is a number or string literal kind.
func (k Kind) IsLiteral() bool { return k >= Number && k <= UnicodeString }

// Precedence returns the binary operator precedence of k (higher binds
// tighter), following solc: || 4, && 5, == != 6, < > <= >= 7, | 8, ^ 9,
// & 10, shifts 11, + - 12, * / % 13, ** 14. It returns 0 for other kinds.
func (k Kind) Precedence() int {
	switch k {
	case Or:
		return 4
	case And:
		return 5
	case Eq, Ne:
		return 6
	case Lt, Gt, Le, Ge:
		return 7
	case BitOr:
		return 8
	case BitXor:
		return 9
	case BitAnd:
		return 10
	case Shl, Sar, Shr:
		return 11
	case Add, Sub:
		return 12
	case Mul, Div, Mod:
		return 13
	case Exp:
		return 14
	}
	return 0
}

// BinaryOf returns the binary operator underlying a compound assignment
// operator (for example Add for +=), or EOF for plain = and other kinds.
func (k Kind) BinaryOf() Kind {
	switch k {
	case AssignBitOr:
		return BitOr
	case AssignBitXor:
		return BitXor
	case AssignBitAnd:
		return BitAnd
	case AssignShl:
		return Shl
	case AssignSar:
		return Sar
	case AssignShr:
		return Shr
	case AssignAdd:
		return Add
	case AssignSub:
		return Sub
	case AssignMul:
		return Mul
	case AssignDiv:
		return Div
	case AssignMod:
		return Mod
	}
	return EOF
}

// Token is a lexical token: its kind and byte range in the source.
type Token struct {
	Kind  Kind
	Start int32
	End   int32
}

// CommentKind classifies comments.
type CommentKind uint8

// Comment kinds.
const (
	LineComment     CommentKind = iota // // ...
	BlockComment                       // /* ... */
	DocLineComment                     // /// ...
	DocBlockComment                    // /** ... */
)

// Comment is a comment recorded as trivia.
type Comment struct {
	Kind  CommentKind
	Start int32
	End   int32
}

// IsDoc reports whether c is a NatSpec comment.
func (c Comment) IsDoc() bool { return c.Kind == DocLineComment || c.Kind == DocBlockComment }

// lookupKeyword maps identifier spelling to a keyword or elementary type kind.
func lookupKeyword(b []byte) Kind {
	n := len(b)
	if n < 2 || n > 14 || b[0] < 'a' || b[0] > 'w' {
		return Ident
	}
	switch b[0] {
	case 'a':
		switch string(b) {
		case "abstract":
			return Abstract
		case "anonymous":
			return Anonymous
		case "as":
			return As
		case "assembly":
			return Assembly
		case "address":
			return ElemType
		}
	case 'b':
		switch string(b) {
		case "break":
			return Break
		case "bool", "byte", "bytes":
			return ElemType
		}
		if n > 5 && string(b[:5]) == "bytes" && isSizeSuffix(b[5:]) {
			return ElemType
		}
	case 'c':
		switch string(b) {
		case "calldata":
			return Calldata
		case "catch":
			return Catch
		case "constant":
			return Constant
		case "constructor":
			return Constructor
		case "continue":
			return Continue
		case "contract":
			return Contract
		}
	case 'd':
		switch string(b) {
		case "delete":
			return Delete
		case "do":
			return Do
		}
	case 'e':
		switch string(b) {
		case "else":
			return Else
		case "emit":
			return Emit
		case "enum":
			return Enum
		case "event":
			return Event
		case "external":
			return External
		}
	case 'f':
		switch string(b) {
		case "false":
			return False
		case "for":
			return For
		case "function":
			return Function
		case "fixed":
			return ElemType
		}
		if n > 5 && string(b[:5]) == "fixed" && isFixedSuffix(b[5:]) {
			return ElemType
		}
	case 'i':
		switch string(b) {
		case "if":
			return If
		case "immutable":
			return Immutable
		case "import":
			return Import
		case "indexed":
			return Indexed
		case "interface":
			return Interface
		case "internal":
			return Internal
		case "is":
			return Is
		case "int":
			return ElemType
		}
		if n > 3 && string(b[:3]) == "int" && isSizeSuffix(b[3:]) {
			return ElemType
		}
	case 'l':
		if string(b) == "library" {
			return Library
		}
	case 'm':
		switch string(b) {
		case "mapping":
			return Mapping
		case "memory":
			return Memory
		case "modifier":
			return Modifier
		}
	case 'n':
		if string(b) == "new" {
			return New
		}
	case 'o':
		if string(b) == "override" {
			return Override
		}
	case 'p':
		switch string(b) {
		case "payable":
			return Payable
		case "pragma":
			return Pragma
		case "private":
			return Private
		case "public":
			return Public
		case "pure":
			return Pure
		}
	case 'r':
		switch string(b) {
		case "return":
			return Return
		case "returns":
			return Returns
		}
	case 's':
		switch string(b) {
		case "storage":
			return Storage
		case "struct":
			return Struct
		case "string":
			return ElemType
		}
	case 't':
		switch string(b) {
		case "throw":
			return Throw
		case "true":
			return True
		case "try":
			return Try
		case "type":
			return Type
		}
	case 'u':
		switch string(b) {
		case "unchecked":
			return Unchecked
		case "using":
			return Using
		case "uint", "ufixed":
			return ElemType
		}
		if n > 4 && string(b[:4]) == "uint" && isSizeSuffix(b[4:]) {
			return ElemType
		}
		if n > 6 && string(b[:6]) == "ufixed" && isFixedSuffix(b[6:]) {
			return ElemType
		}
	case 'v':
		switch string(b) {
		case "var":
			return Var
		case "view":
			return View
		case "virtual":
			return Virtual
		}
	case 'w':
		if string(b) == "while" {
			return While
		}
	}
	return Ident
}

// isSizeSuffix reports whether b is a decimal number without leading zero.
func isSizeSuffix(b []byte) bool {
	if len(b) == 0 || len(b) > 3 || b[0] == '0' {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isFixedSuffix reports whether b has the form MxN.
func isFixedSuffix(b []byte) bool {
	for i, c := range b {
		if c == 'x' {
			return isSizeSuffix(b[:i]) && (isSizeSuffix(b[i+1:]) || string(b[i+1:]) == "0")
		}
	}
	return false
}
